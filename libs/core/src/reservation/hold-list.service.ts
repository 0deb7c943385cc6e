import { Injectable } from '@nestjs/common';
import { Clock } from '../time/clock';
import { decodeHoldListCursor, encodeHoldListCursor } from './hold-list-cursor';
import { HoldListFilter } from './hold-list';
import { Reservation, ReservationStatus } from './reservation';
import { ReservationRepository } from './reservation.repository';

export interface HoldListQuery {
  status?: ReservationStatus;
  sku?: string;
  userId?: string;
  /** RESERVED holds expiring within this many seconds from now. */
  expiringWithinSeconds?: number;
}

export interface HoldListPage {
  items: Reservation[];
  /** When the page was read: the holds' shown status and seconds left are judged at it. */
  now: Date;
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** The admin's list of holds, newest first, filtered and paged with an opaque cursor. */
@Injectable()
export class HoldListService {
  constructor(
    private readonly reservations: ReservationRepository,
    private readonly clock: Clock,
  ) {}

  async list(query: HoldListQuery, limit: number, cursor: string | null): Promise<HoldListPage> {
    const after = cursor === null ? null : decodeHoldListCursor(cursor);
    const now = this.clock.now();
    const filter: HoldListFilter = {
      now,
      status: query.status,
      sku: query.sku,
      userId: query.userId,
      expiringBy: query.expiringWithinSeconds === undefined ? undefined : new Date(now.getTime() + query.expiringWithinSeconds * 1000),
    };
    const holds = await this.reservations.listForAdmin(filter, limit + 1, after);
    const items = holds.slice(0, limit);
    const last = items[items.length - 1];
    return { items, now, nextCursor: holds.length > limit ? encodeHoldListCursor(last) : null };
  }
}
