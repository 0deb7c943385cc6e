import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'totalQuantity' })
  field: string;

  @ApiProperty({ example: ['totalQuantity must not be less than 0'] })
  messages: string[];
}

export class ErrorResponseDto {
  @ApiProperty({ example: false })
  success: false;

  @ApiProperty({ example: "Inventory item 'SKU-1' not found" })
  message: string;

  @ApiProperty({ description: 'Stable machine-readable code', example: 'INVENTORY_NOT_FOUND' })
  code: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Present on validation failures (400)' })
  errors?: FieldErrorDto[];

  @ApiPropertyOptional({ description: 'Context of a domain error', example: { sku: 'SKU-1' } })
  details?: Record<string, unknown>;

  @ApiProperty({ description: 'Id of this request (also in the x-request-id header); quote it when reporting a 500', example: '3f1c...' })
  requestId: string;
}
