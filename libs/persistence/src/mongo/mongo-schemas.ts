import { API_KEY_SCOPES, MAX_HOLD_LINES, MAX_QUANTITY, RESERVATION_STATUSES } from '@app/core';
import { Schema } from 'mongoose';
import {
  ApiKeyDocument,
  COLLECTIONS,
  HoldLineDocument,
  IdempotencyDocument,
  InventoryDocument,
  ReservationDocument,
} from './mongo-documents';

const options = { versionKey: false, autoIndex: false, autoCreate: false, strict: 'throw' } as const;

export const inventorySchema = new Schema<InventoryDocument>(
  {
    _id: { type: String, required: true },
    productName: { type: String, required: true },
    totalQuantity: { type: Number, required: true },
    availableQuantity: { type: Number, required: true },
    reservedQuantity: { type: Number, required: true, default: 0 },
    soldQuantity: { type: Number, required: true, default: 0 },
    maxPerCustomer: { type: Number, default: null },
    lowStockThreshold: { type: Number, default: null },
    ledgerSequence: { type: Number },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { ...options, collection: COLLECTIONS.inventory },
);
inventorySchema.index({ createdAt: 1 });

const holdLineSchema = new Schema<HoldLineDocument>(
  {
    sku: { type: String, required: true },
    quantity: { type: Number, required: true },
  },
  { _id: false, versionKey: false, strict: 'throw' },
);

export const reservationSchema = new Schema<ReservationDocument>(
  {
    _id: { type: String, required: true },
    items: { type: [holdLineSchema], required: true },
    userId: { type: String, required: true },
    status: { type: String, required: true, enum: RESERVATION_STATUSES },
    expiresAt: { type: Date, required: true },
    clientId: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    createdAt: { type: Date, required: true },
    finishedAt: { type: Date, default: null },
    purgeAt: { type: Date, default: null },
  },
  { ...options, collection: COLLECTIONS.reservations },
);
/** A retried reserve that slips past the idempotency records still cannot insert a second hold (keys are per client). */
reservationSchema.index({ clientId: 1, idempotencyKey: 1 }, { unique: true, name: 'reservations_client_idempotency_key_unique' });
/** The sweeper's "RESERVED and due" query. */
reservationSchema.index({ expiresAt: 1 }, { name: 'reservations_due', partialFilterExpression: { status: 'RESERVED' } });
/** Multikey on the lines' SKUs: a SKU's holds by status (reconcile, deleting an item's finished holds). */
reservationSchema.index({ 'items.sku': 1, status: 1 }, { name: 'reservations_line_sku_status' });
/** The due holds with a line of given SKUs (a refused reserve's dueHolds, expiry of those SKUs only). */
reservationSchema.index(
  { 'items.sku': 1, expiresAt: 1 },
  { name: 'reservations_line_sku_due', partialFilterExpression: { status: 'RESERVED' } },
);
/** A capped reserve sums the customer's active lines of its capped SKUs inside its transaction. */
reservationSchema.index(
  { 'items.sku': 1, userId: 1 },
  { name: 'reservations_line_sku_user_active', partialFilterExpression: { status: 'RESERVED' } },
);
/** The admin's hold list, newest first, and its cursor (createdAt, _id). */
reservationSchema.index({ createdAt: -1, _id: -1 }, { name: 'reservations_created' });
/** The admin's hold list of one customer, newest first. */
reservationSchema.index({ userId: 1, createdAt: -1, _id: -1 }, { name: 'reservations_user_created' });
reservationSchema.index({ finishedAt: 1 }, { name: 'reservations_finished', partialFilterExpression: { finishedAt: { $type: 'date' } } });
/** Deletes finished holds only: purgeAt is set when a hold ends. A TTL on active holds would return no stock. */
reservationSchema.index({ purgeAt: 1 }, { name: 'reservations_purge_ttl', expireAfterSeconds: 0 });

export const idempotencySchema = new Schema<IdempotencyDocument>(
  {
    scope: { type: String, required: true },
    key: { type: String, required: true },
    fingerprint: { type: String, required: true },
    token: { type: String, required: true },
    leaseUntil: { type: Date, required: true },
    responseStatus: { type: Number, default: null },
    responseBody: { type: Schema.Types.Mixed, default: null },
    createdAt: { type: Date, required: true },
    completedAt: { type: Date, default: null },
    purgeAt: { type: Date, default: null },
  },
  { ...options, collection: COLLECTIONS.idempotency },
);
idempotencySchema.index({ scope: 1, key: 1 }, { unique: true, name: 'idempotency_scope_key_unique' });
idempotencySchema.index({ createdAt: 1 }, { name: 'idempotency_created' });
/** Completed records past retention: purgeAt = completion + retention (IdempotencyService passes it), far beyond any lease. */
idempotencySchema.index({ purgeAt: 1 }, { name: 'idempotency_purge_ttl', expireAfterSeconds: 0 });

export const apiKeySchema = new Schema<ApiKeyDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    prefix: { type: String, required: true },
    secretHash: { type: String, required: true },
    scopes: { type: [{ type: String, enum: API_KEY_SCOPES }], required: true },
    createdAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
  },
  { ...options, collection: COLLECTIONS.apiKeys },
);
/** Every authenticated request reads its key by the visible prefix. */
apiKeySchema.index({ prefix: 1 }, { unique: true, name: 'api_keys_prefix_unique' });

/** A whole number within the service's bounds, whatever BSON number type carries it (int, long, or a whole double). */
const wholeNumber = (minimum: number) => ({ bsonType: ['int', 'long', 'double'], minimum, maximum: MAX_QUANTITY, multipleOf: 1 });

/**
 * The stock rules, enforced by the server on every write to inventory_items (as the SQL CHECK constraints are):
 * a string name, whole, non-negative, bounded quantities, available + reserved + sold <= total, a per-customer
 * cap that is absent, null or a positive whole number, a low-stock threshold that is absent, null or a whole number,
 * and a ledger sequence that is absent (before the opening movement) or a positive whole number.
 */
export const INVENTORY_VALIDATOR = {
  $and: [
    {
      $jsonSchema: {
        bsonType: 'object',
        required: ['productName', 'totalQuantity', 'availableQuantity', 'reservedQuantity', 'soldQuantity'],
        properties: {
          productName: { bsonType: 'string' },
          ...Object.fromEntries(
            ['totalQuantity', 'availableQuantity', 'reservedQuantity', 'soldQuantity'].map((field) => [field, wholeNumber(0)]),
          ),
          // The driver stores a whole JS number within int32 (every cap up to MAX_QUANTITY) as int.
          maxPerCustomer: { bsonType: ['null', 'int', 'long'], minimum: 1 },
          lowStockThreshold: { bsonType: ['null', 'int', 'long'], minimum: 0 },
          // $inc keeps an int an int until it passes int32, then makes it a long.
          ledgerSequence: { bsonType: ['int', 'long'], minimum: 1 },
        },
      },
    },
    { $expr: { $lte: [{ $add: ['$availableQuantity', '$reservedQuantity', '$soldQuantity'] }, '$totalQuantity'] } },
  ],
};

/**
 * The SQL constraints of reservations and their lines: 1 to MAX_HOLD_LINES lines, each a string SKU and a positive
 * whole quantity, no SKU twice; a known status, and finishedAt set exactly when the hold is no longer RESERVED
 * ($ifNull: a missing field counts as null). The SKU references, foreign keys in SQL, are kept by the writes: a hold
 * is inserted only in the transaction that takes its SKUs' stock, and an item is deleted only with no units reserved,
 * with its finished holds, in one transaction.
 */
export const RESERVATION_VALIDATOR = {
  $and: [
    {
      $jsonSchema: {
        bsonType: 'object',
        required: ['items', 'userId', 'status', 'expiresAt', 'idempotencyKey', 'createdAt'],
        properties: {
          items: {
            bsonType: 'array',
            minItems: 1,
            maxItems: MAX_HOLD_LINES,
            items: {
              bsonType: 'object',
              required: ['sku', 'quantity'],
              properties: { sku: { bsonType: 'string' }, quantity: wholeNumber(1) },
            },
          },
          userId: { bsonType: 'string' },
          status: { enum: [...RESERVATION_STATUSES] },
          expiresAt: { bsonType: 'date' },
          idempotencyKey: { bsonType: 'string' },
          createdAt: { bsonType: 'date' },
          finishedAt: { bsonType: ['date', 'null'] },
        },
      },
    },
    { $expr: { $eq: [{ $eq: ['$status', 'RESERVED'] }, { $eq: [{ $ifNull: ['$finishedAt', null] }, null] }] } },
    // One line per SKU: as many distinct SKUs as lines. ($cond: lines that are not an array fail the schema above,
    // instead of failing $size here with an error other than the validator's 121.)
    { $expr: { $cond: [{ $isArray: '$items' }, { $eq: [{ $size: { $setUnion: ['$items.sku', []] } }, { $size: '$items' }] }, true] } },
  ],
};

/** The index that made keys unique across clients, before API keys. */
export const LEGACY_RESERVATION_KEY_INDEX = 'reservations_idempotency_key_unique';

/**
 * Indexes of earlier versions that the schema no longer declares, dropped at startup once their replacements are
 * built (indexSteps): the per-SKU ones of holds before carts, replaced by the multikey ones on items.sku.
 */
export const OBSOLETE_INDEXES: Partial<Record<(typeof COLLECTIONS)[keyof typeof COLLECTIONS], readonly string[]>> = {
  [COLLECTIONS.reservations]: [
    LEGACY_RESERVATION_KEY_INDEX,
    'reservations_sku_status',
    'reservations_sku_due',
    'reservations_sku_user_active',
  ],
};

/** The validator each collection must carry; mongo-setup compares and applies them at every startup. */
export const VALIDATORS: Partial<Record<(typeof COLLECTIONS)[keyof typeof COLLECTIONS], object>> = {
  [COLLECTIONS.inventory]: INVENTORY_VALIDATOR,
  [COLLECTIONS.reservations]: RESERVATION_VALIDATOR,
};
