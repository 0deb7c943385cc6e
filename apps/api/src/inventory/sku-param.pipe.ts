import { SKU_PATTERN } from '@app/core';
import { Injectable, PipeTransform } from '@nestjs/common';
import { RequestValidationError } from '../common/request-validation.error';
import { SKU_RULE_MESSAGE } from './dto/inventory-fields';

/** Rejects a malformed :sku path segment with a 400 before it reaches the service. */
@Injectable()
export class SkuParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!SKU_PATTERN.test(value)) {
      throw new RequestValidationError([{ field: 'sku', messages: [SKU_RULE_MESSAGE] }]);
    }
    return value;
  }
}
