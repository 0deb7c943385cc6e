export * from './in-memory-inventory.repository';
