import { ExistingIndex, indexSteps, WantedIndex } from './mongo-handle/mongo-setup-plan';
import { movementSchema, outboxSchema, webhookAttemptSchema, webhookDeliverySchema } from './mongo-ledger-schemas';
import { INVENTORY_VALIDATOR } from './mongo-schemas';

const wanted = (schema: { indexes(): unknown[] }) => schema.indexes() as WantedIndex[];
const onlyId: ExistingIndex[] = [{ name: '_id_', key: { _id: 1 } }];

describe('ledger, outbox and webhook indexes', () => {
  it('should build, on a new database, the index of each read the adapter makes', () => {
    expect(indexSteps(wanted(movementSchema), onlyId)).toEqual([
      { action: 'create', name: 'stock_movements_sku_id', key: { sku: 1, id: -1 }, options: {} },
    ]);
    expect(indexSteps(wanted(outboxSchema), onlyId)).toEqual([
      { action: 'create', name: 'outbox_events_feed_order', key: { writtenAt: 1, position: 1, _id: 1 }, options: {} },
      { action: 'create', name: 'outbox_events_age', key: { timestamp: 1 }, options: {} },
    ]);
    expect(indexSteps(wanted(webhookDeliverySchema), onlyId)).toEqual([
      {
        action: 'create',
        name: 'webhook_deliveries_pending_by_key',
        key: { endpointId: 1, orderingKey: 1, eventWrittenAt: 1, eventPosition: 1, eventId: 1 },
        options: { partialFilterExpression: { status: 'pending' } },
      },
      { action: 'create', name: 'webhook_deliveries_endpoint', key: { endpointId: 1, status: 1 }, options: {} },
      {
        action: 'create',
        name: 'webhook_deliveries_pending_age',
        key: { eventTimestamp: 1 },
        options: { partialFilterExpression: { status: 'pending' } },
      },
      { action: 'create', name: 'webhook_deliveries_status_age', key: { status: 1, createdAt: 1 }, options: {} },
      { action: 'create', name: 'webhook_deliveries_event', key: { eventId: 1, status: 1 }, options: {} },
    ]);
    expect(indexSteps(wanted(webhookAttemptSchema), onlyId).map((step) => step.name)).toEqual([
      'webhook_attempts_endpoint_recent',
      'webhook_attempts_age',
      'webhook_attempts_delivery',
    ]);
  });

  it('should leave them alone once built', () => {
    const built = wanted(movementSchema).map(([key, options]): ExistingIndex => ({ key, name: options.name!, ...options }));
    expect(indexSteps(wanted(movementSchema), [...onlyId, ...built])).toEqual([]);
  });

  it('should let the inventory validator accept a low-stock threshold and a ledger sequence', () => {
    const properties = (INVENTORY_VALIDATOR.$and[0] as { $jsonSchema: { properties: Record<string, unknown> } }).$jsonSchema.properties;
    expect(properties.lowStockThreshold).toEqual({ bsonType: ['null', 'int', 'long'], minimum: 0 });
    expect(properties.ledgerSequence).toEqual({ bsonType: ['int', 'long'], minimum: 1 });
  });
});
