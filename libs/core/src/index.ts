export * from './errors/domain-error';
export * from './inventory/inventory-item';
export * from './inventory/inventory.errors';
export * from './inventory/inventory.repository';
export * from './inventory/inventory.service';
export * from './inventory/stock-rules';
export * from './inventory/sku';
