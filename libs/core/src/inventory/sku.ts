export const SKU_MAX_LENGTH = 64;
/** A SKU: 1 to SKU_MAX_LENGTH characters, letters, digits, '.', '_' and '-', starting with a letter or digit. Case-sensitive. */
export const SKU_PATTERN = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._-]{0,${SKU_MAX_LENGTH - 1}}$`);
export const PRODUCT_NAME_MAX_LENGTH = 200;
