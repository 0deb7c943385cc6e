import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

/** Documents a success response wrapped in the `{ success, message, data }` envelope. */
export function ApiEnvelopeResponse(status: number, model: Type<unknown>, description: string, message?: string) {
  return applyDecorators(
    ApiExtraModels(model),
    ApiResponse({
      status,
      description,
      schema: {
        type: 'object',
        required: ['success', 'data'],
        properties: {
          success: { type: 'boolean', example: true },
          ...(message ? { message: { type: 'string', example: message } } : {}),
          data: { $ref: getSchemaPath(model) },
        },
      },
    }),
  );
}

/** Documents the error envelope for each listed status. */
export function ApiErrorResponses(errors: Record<number, string>) {
  return applyDecorators(
    ApiExtraModels(ErrorResponseDto),
    ...Object.entries(errors).map(([status, description]) => ApiResponse({ status: Number(status), description, type: ErrorResponseDto })),
  );
}
