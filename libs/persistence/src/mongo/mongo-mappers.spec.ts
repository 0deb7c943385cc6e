import {
  toClaimedDelivery,
  toDeliveryDocument,
  toDomainEvent,
  toEndpointDocument,
  toMovementDocument,
  toOutboxDocument,
  toStockMovement,
  toWebhookEndpoint,
  linesOf,
  storedResponseBody,
  toIdempotencyDocument,
  toInventoryDocument,
  toInventoryItem,
  toLineDocument,
  toReservation,
  toReservationDocument,
} from './mongo-mappers';

describe('mongo mappers', () => {
  const at = new Date('2026-01-06T10:00:00.000Z');

  it('should map an inventory document to the core item, _id becoming the sku, a missing cap or threshold becoming null', () => {
    const levels = { totalQuantity: 5, availableQuantity: 3, reservedQuantity: 1, soldQuantity: 1 };
    expect(toInventoryItem({ _id: 'SKU-1', productName: 'P', ...levels, createdAt: at, updatedAt: at })).toEqual({
      stockBuckets: 1,
      sku: 'SKU-1',
      productName: 'P',
      ...levels,
      maxPerCustomer: null,
      lowStockThreshold: null,
      createdAt: at,
      updatedAt: at,
    });
    const capped = {
      _id: 'SKU-2',
      productName: 'P',
      ...levels,
      maxPerCustomer: 2,
      lowStockThreshold: 1,
      ledgerSequence: 4,
      createdAt: at,
      updatedAt: at,
    };
    expect(toInventoryItem(capped)).toMatchObject({ maxPerCustomer: 2, lowStockThreshold: 1 });
    expect(toInventoryItem(capped)).not.toHaveProperty('ledgerSequence');
  });

  it('should store a movement under sku:id, and read it back as the core movement', () => {
    const movement = {
      id: 3,
      sku: 'SKU-1',
      type: 'adjusted' as const,
      availableDelta: 2,
      reservedDelta: 0,
      soldDelta: 0,
      totalDelta: 2,
      reservationId: null,
      reason: 'recount',
      actor: 'key-1',
      at,
    };
    const doc = toMovementDocument(movement);
    expect(doc._id).toBe('SKU-1:3');
    expect(toStockMovement(doc)).toEqual(movement);
  });

  it('should store an event with its ordering key and feed position, and read back exactly the core event', () => {
    const event = {
      id: '0b6b9c5e-9a43-4c43-9a4e-0c2f0e7f8a11',
      type: 'inventory.updated' as const,
      timestamp: at,
      data: { item: { sku: 'SKU-1' } as never, movement: null },
    };
    const doc = toOutboxDocument(event, new Date(at.getTime() + 5), 42);
    expect(doc).toMatchObject({ _id: event.id, orderingKey: 'sku:SKU-1', writtenAt: new Date(at.getTime() + 5), position: 42 });
    expect(toDomainEvent(doc)).toEqual(event);
  });

  it('should claim a delivery as the next try, with the endpoint secret and the stored event', () => {
    const endpoint = toEndpointDocument({
      id: 'e-1',
      url: 'https://example.com/hook',
      events: ['*'],
      description: null,
      secret: 'whsec_x',
      createdAt: at,
      disabledAt: null,
    });
    const event = toOutboxDocument(
      { id: 'ev-1', type: 'reservation.extended', timestamp: at, data: { reservation: { reservationId: 'r-1' } as never, movements: [] } },
      at,
      7,
    );
    const delivery = toDeliveryDocument('d-1', 'e-1', event, at);
    expect(delivery).toMatchObject({
      orderingKey: 'reservation:r-1',
      status: 'pending',
      attempts: 0,
      nextAttemptAt: at,
      eventWrittenAt: at,
      eventPosition: 7,
    });
    expect(toClaimedDelivery({ ...delivery, attempts: 2 }, 't-1', endpoint, event)).toEqual({
      deliveryId: 'd-1',
      token: 't-1',
      endpoint: { id: 'e-1', url: 'https://example.com/hook', secret: 'whsec_x' },
      event: toDomainEvent(event),
      attempt: 3,
    });
    expect(toWebhookEndpoint(endpoint)).toMatchObject({ id: 'e-1', events: ['*'], disabledAt: null });
  });

  const stored = {
    _id: 'r-1',
    userId: 'u',
    status: 'CONFIRMED' as const,
    expiresAt: at,
    clientId: 'c',
    idempotencyKey: 'k',
    createdAt: at,
    finishedAt: at,
    purgeAt: at,
  };
  const mapped = {
    id: 'r-1',
    userId: 'u',
    status: 'CONFIRMED',
    expiresAt: at,
    clientId: 'c',
    idempotencyKey: 'k',
    createdAt: at,
    finishedAt: at,
  };

  it('should map a hold with its lines, leaving storage-only fields behind', () => {
    const items = [
      { sku: 'A-1', quantity: 2 },
      { sku: 'B-1', quantity: 1 },
    ];
    expect(toReservation({ ...stored, items })).toEqual({ ...mapped, items });
  });

  it('should read a hold written before carts (top-level sku and quantity, no items) as a one-line hold', () => {
    const reservation = toReservation({ ...stored, sku: 'SKU-1', quantity: 3 });
    expect(reservation).toEqual({ ...mapped, items: [{ sku: 'SKU-1', quantity: 3 }] });
    expect(reservation).not.toHaveProperty('sku');
    expect(linesOf({ ...stored, items: [{ sku: 'A-1', quantity: 1 }] })).toEqual([{ sku: 'A-1', quantity: 1 }]);
  });

  it('should store lines as { sku, quantity } exactly, in that field order, whatever else a line carries', () => {
    const line = toLineDocument({ quantity: 4, sku: 'A-1', extra: true } as never);
    expect(Object.keys(line)).toEqual(['sku', 'quantity']);
    expect(line).toEqual({ sku: 'A-1', quantity: 4 });
  });

  it('should store a new item under its SKU as _id, nothing reserved or sold, created and updated at the passed time', () => {
    expect(toInventoryDocument({ sku: 'SKU-1', productName: 'P', totalQuantity: 5, availableQuantity: 3, stockBuckets: 1 }, at, 1)).toEqual(
      {
        _id: 'SKU-1',
        productName: 'P',
        totalQuantity: 5,
        availableQuantity: 3,
        reservedQuantity: 0,
        soldQuantity: 0,
        maxPerCustomer: null,
        lowStockThreshold: null,
        createdAt: at,
        updatedAt: at,
        ledgerSequence: 1,
      },
    );
    const capped = toInventoryDocument(
      { sku: 'SKU-2', productName: 'P', totalQuantity: 5, availableQuantity: 5, maxPerCustomer: 3, lowStockThreshold: 2 },
      at,
      7,
    );
    expect(capped).toMatchObject({ maxPerCustomer: 3, lowStockThreshold: 2, ledgerSequence: 7 });
  });

  it('should store a new hold as RESERVED with its lines and no purgeAt, so the TTL index cannot delete it', () => {
    const items = [
      { sku: 'A-1', quantity: 2 },
      { sku: 'B-1', quantity: 5 },
    ];
    const hold = { id: 'r-1', userId: 'u', items, expiresAt: at, clientId: 'c', idempotencyKey: 'k', createdAt: at };
    const doc = toReservationDocument(hold);
    expect(doc).toMatchObject({ _id: 'r-1', items, status: 'RESERVED', finishedAt: null, purgeAt: null });
    expect(doc).not.toHaveProperty('sku');
    expect(doc).not.toHaveProperty('quantity');
    expect(doc.items).not.toBe(items);
    expect(toReservation(doc)).toEqual({ ...hold, status: 'RESERVED', finishedAt: null });
  });

  it('should store a claim in progress with no response and no purgeAt', () => {
    const lease = new Date(at.getTime() + 30_000);
    expect(toIdempotencyDocument({ scope: 's', key: 'k', fingerprint: 'fp', token: 't', now: at, leaseUntil: lease })).toEqual({
      scope: 's',
      key: 'k',
      fingerprint: 'fp',
      token: 't',
      leaseUntil: lease,
      responseStatus: null,
      responseBody: null,
      createdAt: at,
      completedAt: null,
      purgeAt: null,
    });
  });

  it('should store a response body as the client received it (JSON), so a replay is identical', () => {
    const body = { success: true, data: { id: 'r-1', note: undefined, list: [1, undefined], at }, message: 'ok' };
    expect(storedResponseBody(body)).toEqual({
      success: true,
      data: { id: 'r-1', list: [1, null], at: '2026-01-06T10:00:00.000Z' },
      message: 'ok',
    });
    expect(storedResponseBody(body)).not.toHaveProperty('data.note');
    expect(storedResponseBody(undefined)).toBeNull();
  });
});
