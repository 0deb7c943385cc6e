import { ReservationSettings } from '@app/core';
import { Injectable, PipeTransform } from '@nestjs/common';
import { RequestValidationError } from '../common/request-validation.error';
import { ReserveDto } from './dto/reserve.dto';

/**
 * The configured largest hold (RESERVATION_MAX_QUANTITY), checked after the DTO's own rules so the answer is the
 * same 400 naming `quantity` as any other field error. (A decorator cannot read configuration.)
 */
@Injectable()
export class ReserveQuantityPipe implements PipeTransform<ReserveDto, ReserveDto> {
  constructor(private readonly settings: ReservationSettings) {}

  transform(body: ReserveDto): ReserveDto {
    const { maxQuantity } = this.settings.limits;
    if (body.quantity > maxQuantity) {
      throw new RequestValidationError([{ field: 'quantity', messages: [`quantity must not be greater than ${maxQuantity}`] }]);
    }
    return body;
  }
}
