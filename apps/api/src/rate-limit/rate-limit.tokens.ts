export const RATE_LIMIT_CONFIG = Symbol('RATE_LIMIT_CONFIG');
