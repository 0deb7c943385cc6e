import { ConflictError } from '@app/core';

export const MONGO_DUPLICATE_KEY = 11000;
const MONGO_DOCUMENT_VALIDATION_FAILURE = 121;

/** The server error code, also inside bulk-write errors and Mongoose wrappers. */
export function mongoErrorCode(error: unknown): number | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const fields = current as { code?: unknown; writeErrors?: { code?: unknown }[]; cause?: unknown };
    if (typeof fields.code === 'number') return fields.code;
    const first = fields.writeErrors?.[0]?.code;
    if (typeof first === 'number') return first;
    current = fields.cause;
  }
  return undefined;
}

/** Translates at the adapter's edge: duplicate key (11000) and validator rejections (121) become the core's conflict error. */
export function translateMongoError(error: unknown): never {
  const code = mongoErrorCode(error);
  if (code === MONGO_DUPLICATE_KEY) throw new ConflictError('Conflicts with existing data (duplicate key)');
  if (code === MONGO_DOCUMENT_VALIDATION_FAILURE) throw new ConflictError('Rejected by the stock rules (document validation)');
  throw error;
}
