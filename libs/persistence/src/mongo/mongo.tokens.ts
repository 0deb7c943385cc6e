export const INVENTORY_MODEL = 'InventoryItem';
export const RESERVATION_MODEL = 'Reservation';
export const IDEMPOTENCY_MODEL = 'IdempotencyRecord';
export const API_KEY_MODEL = 'ApiKey';
/** DI token of the open MongoHandle (connection, prepared collections). */
export const MONGO_HANDLE = Symbol('MONGO_HANDLE');
