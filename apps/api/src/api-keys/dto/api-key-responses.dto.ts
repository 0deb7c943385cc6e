import { API_KEY_SCOPES, ApiKey, ApiKeyScope, CreatedApiKey } from '@app/core';
import { ApiProperty } from '@nestjs/swagger';

/** A key as listed: never its secret, never its hash. */
export class ApiKeyDto {
  @ApiProperty({ format: 'uuid', example: '5f0c6f1e-7f1a-4d8e-9a56-2b0f3c1d9e77' }) id: string;
  @ApiProperty({ example: 'storefront checkout' }) name: string;
  @ApiProperty({ example: 'irs_q3Jx0vTa', description: "The key's first 12 characters, to recognise it; not enough to use it" })
  prefix: string;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true, example: ['reservations:write'] }) scopes: ApiKeyScope[];
  @ApiProperty({ example: '2026-01-06T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'When it was revoked; null while active' }) revokedAt:
    string | null;

  static from(key: ApiKey): ApiKeyDto {
    return {
      id: key.id,
      name: key.name,
      prefix: key.prefix,
      scopes: [...key.scopes],
      createdAt: key.createdAt.toISOString(),
      revokedAt: key.revokedAt?.toISOString() ?? null,
    };
  }
}

export class CreatedApiKeyDto {
  @ApiProperty({ format: 'uuid', example: '5f0c6f1e-7f1a-4d8e-9a56-2b0f3c1d9e77' }) id: string;
  @ApiProperty({ example: 'storefront checkout' }) name: string;
  @ApiProperty({ example: 'irs_q3Jx0vTa' }) prefix: string;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true, example: ['reservations:write'] }) scopes: ApiKeyScope[];
  @ApiProperty({ example: '2026-01-06T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({
    example: 'irs_q3Jx0vTa8mWcZ2yQpLr5sN1uK7eHdG4bFoVjXiA9t6C',
    description: 'The key itself. Shown only in this response: the service keeps just its hash. Send it as "Authorization: Bearer <key>".',
  })
  key: string;

  static from({ apiKey, secret }: CreatedApiKey): CreatedApiKeyDto {
    const { revokedAt: _revokedAt, ...listed } = ApiKeyDto.from(apiKey);
    return { ...listed, key: secret };
  }
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto], description: 'Every key, revoked ones included, oldest first' }) items: ApiKeyDto[];
}
