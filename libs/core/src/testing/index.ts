export * from './in-memory-store';
export * from './in-memory-inventory.repository';
export * from './in-memory-reservation.repository';
export * from './in-memory-idempotency.repository';
export * from './settable-clock';
export * from './in-memory-api-key.repository';
