import { NewReservation } from '@app/core';
import type { DrizzleHandle } from './drizzle-handle/database';
import { HoldSqlRow } from './drizzle-mappers';
import { DrizzleReservationRepository } from './drizzle-reservation.repository';

const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });

describe(DrizzleReservationRepository.name, () => {
  const hold: NewReservation = {
    id: '00000000-0000-4000-8000-000000000001',
    userId: 'u',
    items: [{ sku: 'A', quantity: 1 }],
    clientId: 'anonymous',
    idempotencyKey: 'k',
    createdAt: new Date('2026-01-01T00:00:00Z'),
    expiresAt: new Date('2026-01-01T00:05:00Z'),
  };
  const row: HoldSqlRow = {
    id: hold.id,
    user_id: 'u',
    status: 'RESERVED',
    expires_at: hold.expiresAt,
    client_id: 'anonymous',
    idempotency_key: 'k',
    created_at: hold.createdAt,
    finished_at: null,
  };
  const repositoryOver = (prepared: jest.Mock) =>
    new DrizzleReservationRepository({ prepared, rows: jest.fn() } as unknown as DrizzleHandle);

  describe('tryReserve', () => {
    it('should run a reserve statement PostgreSQL aborted to break a deadlock again (nothing moved)', async () => {
      const prepared = jest.fn().mockRejectedValueOnce(deadlock()).mockResolvedValueOnce([row]);
      const result = await repositoryOver(prepared).tryReserve(hold);
      expect(result).toMatchObject({ status: 'reserved', reservation: { id: hold.id } });
      expect(prepared).toHaveBeenCalledTimes(2);
    });

    it('should give up after three deadlocks in a row', async () => {
      const prepared = jest.fn().mockRejectedValue(deadlock());
      await expect(repositoryOver(prepared).tryReserve(hold)).rejects.toThrow('deadlock detected');
      expect(prepared).toHaveBeenCalledTimes(3);
    });
  });
});
