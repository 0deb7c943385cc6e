import { ApiKeyService } from '@app/core';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ok, SuccessEnvelope } from '../common/api-envelope';
import { ApiEnvelopeResponse, ApiErrorResponses } from '../common/swagger/api-envelope.decorator';
import { RequireScope } from '../auth/access-policy';
import { ApiKeyIdParamPipe } from './api-key-id-param.pipe';
import { ApiKeyDto, ApiKeyListDto, CreatedApiKeyDto } from './dto/api-key-responses.dto';
import { CreateApiKeyDto } from './dto/create-api-key.dto';

/** Key management. Not idempotent on purpose: an idempotency record would store the new key's secret. */
@ApiTags('admin api keys')
@Controller('admin/api-keys')
@ApiErrorResponses({ 500: 'Unexpected error (logged with the request id)' })
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyService) {}

  @Post()
  @RequireScope('keys:write')
  @ApiOperation({
    summary: 'Create an API key',
    description: 'The response carries the key itself, once: store it now. The service keeps only its SHA-256 hash and its prefix.',
  })
  @ApiEnvelopeResponse(
    201,
    CreatedApiKeyDto,
    'Created; `key` is shown only here',
    'API key created: store the key now, it is not shown again',
  )
  @ApiErrorResponses({ 400: 'Invalid name or scopes (the body names each offending field)' })
  async create(@Body() body: CreateApiKeyDto): Promise<SuccessEnvelope<CreatedApiKeyDto>> {
    const created = await this.keys.create({ name: body.name, scopes: body.scopes });
    return ok(CreatedApiKeyDto.from(created), 'API key created: store the key now, it is not shown again');
  }

  @Get()
  @RequireScope('keys:write')
  @ApiOperation({
    summary: 'List API keys',
    description: 'Every key with its prefix, scopes and revocation time; never a secret or a hash.',
  })
  @ApiEnvelopeResponse(200, ApiKeyListDto, 'The keys, oldest first')
  async list(): Promise<SuccessEnvelope<ApiKeyListDto>> {
    return ok({ items: (await this.keys.list()).map(ApiKeyDto.from) });
  }

  @Delete(':id')
  @HttpCode(HttpStatus.OK)
  @RequireScope('keys:write')
  @ApiOperation({
    summary: 'Revoke an API key',
    description:
      'Takes effect at once on every instance (each request reads its key from the database). ' + 'Revoking again answers 200, unchanged.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiEnvelopeResponse(200, ApiKeyDto, 'Revoked', 'API key revoked')
  @ApiErrorResponses({ 400: 'Not a UUID', 404: 'Unknown key (code API_KEY_NOT_FOUND)' })
  async revoke(@Param('id', ApiKeyIdParamPipe) id: string): Promise<SuccessEnvelope<ApiKeyDto>> {
    return ok(ApiKeyDto.from(await this.keys.revoke(id)), 'API key revoked');
  }
}
