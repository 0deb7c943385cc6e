import { InventoryItem } from '../inventory/inventory-item';
import { Reservation } from '../reservation/reservation';

/** The state the in-memory fakes share, so a reserve can move stock and record the hold in one step. */
export class InMemoryStore {
  readonly items = new Map<string, InventoryItem>();
  readonly reservations = new Map<string, Reservation>();
}
