import { InventoryItem, Reservation } from '@app/core';
import { InventoryDocument, ReservationDocument } from './mongo-documents';

export function toInventoryItem(doc: InventoryDocument): InventoryItem {
  return {
    sku: doc._id,
    productName: doc.productName,
    totalQuantity: doc.totalQuantity,
    availableQuantity: doc.availableQuantity,
    reservedQuantity: doc.reservedQuantity,
    soldQuantity: doc.soldQuantity,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

export function toReservation(doc: ReservationDocument): Reservation {
  return {
    id: doc._id,
    sku: doc.sku,
    userId: doc.userId,
    quantity: doc.quantity,
    status: doc.status,
    expiresAt: doc.expiresAt,
    idempotencyKey: doc.idempotencyKey,
    createdAt: doc.createdAt,
    finishedAt: doc.finishedAt ?? null,
  };
}
