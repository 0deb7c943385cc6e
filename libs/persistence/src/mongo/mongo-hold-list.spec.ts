import { HOLD_LIST_SORT, holdListFilter } from './mongo-hold-list';

const now = new Date('2026-01-06T10:00:00.000Z');
const later = new Date('2026-01-06T10:01:00.000Z');
const after = { createdAt: new Date('2026-01-06T09:00:00.000Z'), id: '3f2b8c1e-9a4d-4e7f-8b6a-1c2d3e4f5a6b' };

describe(holdListFilter.name, () => {
  it('should match every hold without a filter or a cursor', () => {
    expect(holdListFilter({ now }, null)).toEqual({});
  });

  it('should read on after the cursor in the order (createdAt desc, then _id desc)', () => {
    expect(HOLD_LIST_SORT).toEqual({ createdAt: -1, _id: -1 });
    expect(holdListFilter({ now }, after)).toEqual({
      $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, _id: { $lt: after.id } }],
    });
  });

  it('should filter by the status shown at now: RESERVED not yet due, EXPIRED including the due RESERVED holds', () => {
    expect(holdListFilter({ now, status: 'RESERVED' }, null)).toEqual({ status: 'RESERVED', expiresAt: { $gt: now } });
    expect(holdListFilter({ now, status: 'EXPIRED' }, null)).toEqual({
      $or: [{ status: 'EXPIRED' }, { status: 'RESERVED', expiresAt: { $lte: now } }],
    });
    expect(holdListFilter({ now, status: 'CONFIRMED' }, null)).toEqual({ status: 'CONFIRMED' });
  });

  it('should combine every filter and the cursor with $and', () => {
    expect(holdListFilter({ now, status: 'CANCELLED', sku: 'SKU-1', userId: 'u-1', expiringBy: later }, after)).toEqual({
      $and: [
        { status: 'CANCELLED' },
        { userId: 'u-1' },
        { 'items.sku': 'SKU-1' },
        { status: 'RESERVED', expiresAt: { $gt: now, $lte: later } },
        { $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, _id: { $lt: after.id } }] },
      ],
    });
  });
});
