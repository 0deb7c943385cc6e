import { loadAppConfig } from '../../apps/api/src/config/app-config';
import { appOnFreshDatabase } from './app-per-backend';
import { BackendName } from './backends';
import { TestApp, withKey } from './create-test-app';
import { ReservationApi } from './reservation-api';
import { stopScheduledJobs } from './scheduled-jobs';

/** Hold time of the reservation suites; the sweeper only runs when a test calls it. */
export const TTL = 300;

export interface ReservationSuite {
  readonly testApp: TestApp;
  readonly api: ReservationApi;
  /** Checks the counters of `sku` and the sums of its holds against `expected`, and that they agree with each other and the ledger. */
  readonly expectConsistent: (sku: string, expected: { available: number; reserved: number; sold: number }) => Promise<void>;
}

/**
 * Shared setup of the reservation e2e specs, for inside a describeEachBackend body: the app on a fresh
 * database with TTL-second holds and a 30 s idempotency lease, an API client, and mocks restored after each test.
 */
export function reservationSuite(backend: BackendName): ReservationSuite {
  const base = loadAppConfig({});
  const app = appOnFreshDatabase(backend, {
    reservations: { ...base.reservations, ttlSeconds: TTL, sweepIntervalSeconds: 3_600 },
    idempotency: { ...base.idempotency, leaseSeconds: 30 },
  });
  let api: ReservationApi | undefined;
  beforeAll(() => {
    stopScheduledJobs(app.testApp.app);
    api = new ReservationApi(withKey(app.testApp.server));
  });
  afterEach(() => jest.restoreAllMocks());

  const suite: ReservationSuite = {
    get testApp() {
      return app.testApp;
    },
    get api() {
      if (!api) throw new Error('the API client is made in beforeAll; read it inside a test or hook');
      return api;
    },
    expectConsistent: async (sku, expected) => {
      const r = await suite.api.reconcile(sku);
      expect(r.counters).toMatchObject({
        availableQuantity: expected.available,
        reservedQuantity: expected.reserved,
        soldQuantity: expected.sold,
      });
      expect(r.fromReservations).toEqual({ reservedQuantity: expected.reserved, soldQuantity: expected.sold });
      expect(r.fromLedger).toEqual(r.counters);
      expect(r.consistent).toBe(true);
    },
  };
  return suite;
}
