export const INVENTORY_MODEL = 'InventoryItem';
export const RESERVATION_MODEL = 'Reservation';
export const IDEMPOTENCY_MODEL = 'IdempotencyRecord';
export const API_KEY_MODEL = 'ApiKey';
export const MOVEMENT_MODEL = 'StockMovement';
export const OUTBOX_MODEL = 'OutboxEvent';
export const WEBHOOK_ENDPOINT_MODEL = 'WebhookEndpoint';
export const WEBHOOK_DELIVERY_MODEL = 'WebhookDelivery';
export const WEBHOOK_ATTEMPT_MODEL = 'WebhookAttempt';
export const FANOUT_CURSOR_MODEL = 'WebhookFanoutCursor';
/** DI token of the open MongoHandle (connection, prepared collections). */
export const MONGO_HANDLE = Symbol('MONGO_HANDLE');
/** DI token of the event feed's visibility window in ms (FEED_VISIBILITY_WINDOW_MS; tests may bind a shorter one). */
export const MONGO_FEED_VISIBILITY_MS = Symbol('MONGO_FEED_VISIBILITY_MS');
