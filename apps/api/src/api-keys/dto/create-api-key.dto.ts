import { API_KEY_NAME_MAX_LENGTH, API_KEY_SCOPES, ApiKeyScope } from '@app/core';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { WELL_FORMED_TEXT } from '../../common/well-formed-text';

export class CreateApiKeyDto {
  @ApiProperty({
    description: `What the key is for, 1-${API_KEY_NAME_MAX_LENGTH} printable characters (shown in lists; not secret)`,
    example: 'storefront checkout',
    maxLength: API_KEY_NAME_MAX_LENGTH,
  })
  @IsString()
  @MaxLength(API_KEY_NAME_MAX_LENGTH)
  @Matches(/\S/, { message: 'name must not be blank' })
  @Matches(/^[^\p{C}]*$/u, { message: 'name must contain printable characters only' })
  @Matches(WELL_FORMED_TEXT, { message: 'name must be well-formed Unicode text' })
  name: string;

  @ApiProperty({
    description: 'What the key may do: one or more distinct scopes',
    enum: API_KEY_SCOPES,
    isArray: true,
    minItems: 1,
    maxItems: API_KEY_SCOPES.length,
    uniqueItems: true,
    example: ['reservations:write'],
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'scopes must contain at least 1 scope' })
  @ArrayMaxSize(API_KEY_SCOPES.length, { message: `scopes must contain at most ${API_KEY_SCOPES.length} scopes` })
  @ArrayUnique({ message: 'scopes must not repeat a scope' })
  @IsIn(API_KEY_SCOPES, { each: true, message: `each scope must be one of ${API_KEY_SCOPES.join(', ')}` })
  scopes: ApiKeyScope[];
}
