import { toIdempotencyDocument, toInventoryDocument, toInventoryItem, toReservation, toReservationDocument } from './mongo-mappers';

describe('mongo mappers', () => {
  const at = new Date('2026-01-06T10:00:00.000Z');

  it('should map an inventory document to the core item, _id becoming the sku', () => {
    expect(
      toInventoryItem({ _id: 'SKU-1', productName: 'P', totalQuantity: 5, availableQuantity: 3, reservedQuantity: 1, soldQuantity: 1, createdAt: at, updatedAt: at }),
    ).toEqual({ sku: 'SKU-1', productName: 'P', totalQuantity: 5, availableQuantity: 3, reservedQuantity: 1, soldQuantity: 1, createdAt: at, updatedAt: at });
  });

  it('should map a hold, leaving storage-only fields behind', () => {
    const reservation = toReservation({
      _id: 'r-1',
      sku: 'SKU-1',
      userId: 'u',
      quantity: 2,
      status: 'CONFIRMED',
      expiresAt: at,
      clientId: 'c',
      idempotencyKey: 'k',
      createdAt: at,
      finishedAt: at,
      purgeAt: at,
    });
    expect(reservation).toEqual({ id: 'r-1', sku: 'SKU-1', userId: 'u', quantity: 2, status: 'CONFIRMED', expiresAt: at, clientId: 'c', idempotencyKey: 'k', createdAt: at, finishedAt: at });
  });

  it('should store a new item under its SKU as _id, nothing reserved or sold, created and updated at the passed time', () => {
    expect(toInventoryDocument({ sku: 'SKU-1', productName: 'P', totalQuantity: 5, availableQuantity: 3 }, at)).toEqual({
      _id: 'SKU-1',
      productName: 'P',
      totalQuantity: 5,
      availableQuantity: 3,
      reservedQuantity: 0,
      soldQuantity: 0,
      createdAt: at,
      updatedAt: at,
    });
  });

  it('should store a new hold as RESERVED with no purgeAt, so the TTL index cannot delete it', () => {
    const hold = { id: 'r-1', sku: 'SKU-1', userId: 'u', quantity: 2, expiresAt: at, clientId: 'c', idempotencyKey: 'k', createdAt: at };
    const doc = toReservationDocument(hold);
    expect(doc).toMatchObject({ _id: 'r-1', status: 'RESERVED', finishedAt: null, purgeAt: null });
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
});
