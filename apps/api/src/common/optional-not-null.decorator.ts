import { ValidateIf } from 'class-validator';

/** Like @IsOptional, but only an absent field is skipped: an explicit null is still validated (and rejected). */
export const OptionalNotNull = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);

/** Text without lone UTF-16 surrogates, which databases store as U+FFFD, so it would not compare equal to itself. */
export const WELL_FORMED_TEXT = /^(?:[^\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;
