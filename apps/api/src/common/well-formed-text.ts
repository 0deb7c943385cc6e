/** Text without lone UTF-16 surrogates, which databases store as U+FFFD, so it would not compare equal to itself. */
export const WELL_FORMED_TEXT = /^(?:[^\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;
