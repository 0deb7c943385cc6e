import { Clock } from '@app/core';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { uniqueSku } from './unique';

type Http = ReturnType<typeof request>;

/** Small HTTP client over the API for reservation tests. */
export class ReservationApi {
  constructor(readonly http: Http) {}

  async createSku(totalQuantity: number): Promise<string> {
    const sku = uniqueSku();
    const response = await this.http.post('/api/v1/admin/inventory').send({ sku, productName: 'Item', totalQuantity });
    if (response.status !== 201) throw new Error(`create failed: ${response.status} ${JSON.stringify(response.body)}`);
    return sku;
  }

  reserve(body: Record<string, unknown>, key: string | null = randomUUID()) {
    const call = this.http.post('/api/v1/inventory/reserve').send(body);
    return key === null ? call : call.set('Idempotency-Key', key);
  }

  /** POST /reservations: a cart hold. */
  hold(body: Record<string, unknown>, key: string | null = randomUUID()) {
    const call = this.http.post('/api/v1/reservations').send(body);
    return key === null ? call : call.set('Idempotency-Key', key);
  }

  extend(reservationId: string, body: Record<string, unknown>, key?: string) {
    const call = this.http.post(`/api/v1/reservations/${reservationId}/extend`).send(body);
    return key === undefined ? call : call.set('Idempotency-Key', key);
  }

  release(reservationId: string, body: Record<string, unknown>, key?: string) {
    const call = this.http.post(`/api/v1/reservations/${reservationId}/release`).send(body);
    return key === undefined ? call : call.set('Idempotency-Key', key);
  }

  confirm(reservationId: string, key?: string) {
    const call = this.http.post('/api/v1/checkout/confirm').send({ reservationId });
    return key === undefined ? call : call.set('Idempotency-Key', key);
  }

  cancel(reservationId: string, key?: string) {
    const call = this.http.post('/api/v1/checkout/cancel').send({ reservationId });
    return key === undefined ? call : call.set('Idempotency-Key', key);
  }

  get(reservationId: string) {
    return this.http.get(`/api/v1/reservations/${reservationId}`);
  }

  async reconcile(sku: string) {
    const response = await this.http.get(`/api/v1/admin/inventory/${sku}/reconcile`);
    if (response.status !== 200) throw new Error(`reconcile failed: ${response.status}`);
    return response.body.data as {
      counters: { totalQuantity: number; availableQuantity: number; reservedQuantity: number; soldQuantity: number };
      fromReservations: { reservedQuantity: number; soldQuantity: number };
      fromLedger: { totalQuantity: number; availableQuantity: number; reservedQuantity: number; soldQuantity: number };
      /** Counters = sums over the holds = sums of the ledger, and the stock rules hold. */
      consistent: boolean;
    };
  }
}

/** Moves the app's clock `seconds` ahead of real time, until the spy is restored. */
export function shiftClock(app: INestApplication, seconds: number): jest.SpyInstance {
  const clock = app.get(Clock);
  const realNow = clock.now.bind(clock);
  return jest.spyOn(clock, 'now').mockImplementation(() => new Date(realNow().getTime() + seconds * 1000));
}
