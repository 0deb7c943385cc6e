/** A SKU: 1-64 characters, letters, digits, '.', '_' and '-', starting with a letter or digit. Case-sensitive. */
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const SKU_MAX_LENGTH = 64;
export const PRODUCT_NAME_MAX_LENGTH = 200;
