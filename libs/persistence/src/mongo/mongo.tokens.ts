export const INVENTORY_MODEL = 'InventoryItem';
export const RESERVATION_MODEL = 'Reservation';
export const IDEMPOTENCY_MODEL = 'IdempotencyRecord';
/** Resolves once the replica set is confirmed and collections, validators and indexes exist. */
export const MONGO_READY = Symbol('MONGO_READY');
