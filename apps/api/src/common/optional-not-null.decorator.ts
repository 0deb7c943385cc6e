import { ValidateIf } from 'class-validator';

/** Like @IsOptional, but only an absent field is skipped: an explicit null is still validated (and rejected). */
export const OptionalNotNull = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);
