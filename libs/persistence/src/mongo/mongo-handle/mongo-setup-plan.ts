import { COLLECTIONS } from '../mongo-documents';

/**
 * Pure startup decisions, checked without a server: which collections to create or give their validator, which
 * indexes to create, rebuild or retune, and whether to point at the original service's data.
 */

/** Equal as stored documents: same fields in the same order (index keys are ordered; the server keeps a validator as given). */
function sameDocument(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];

export type CollectionStep =
  { name: CollectionName; action: 'create'; validator?: object } | { name: CollectionName; action: 'set_validator'; validator: object };

/**
 * Creates missing collections with their validator; gives an existing collection its validator whenever the stored
 * one differs, including when it has none (listCollections reports `options.validator` as created or last collMod'ed).
 */
export function collectionSteps(
  existing: Map<string, { validator?: unknown } | undefined>,
  validators: Partial<Record<CollectionName, object>>,
): CollectionStep[] {
  const steps: CollectionStep[] = [];
  for (const name of Object.values(COLLECTIONS)) {
    const validator = validators[name];
    if (!existing.has(name)) steps.push(validator ? { name, action: 'create', validator } : { name, action: 'create' });
    else if (validator && !sameDocument(existing.get(name)?.validator, validator)) steps.push({ name, action: 'set_validator', validator });
  }
  return steps;
}

/** An index as the schema declares it (mongoose `schema.indexes()`: fields and options). */
export type WantedIndex = [
  key: Record<string, 1 | -1>,
  options: { name?: string; unique?: boolean; expireAfterSeconds?: number; partialFilterExpression?: object },
];

/** An index as `listIndexes` reports it. */
export interface ExistingIndex {
  name: string;
  key: Record<string, unknown>;
  unique?: boolean;
  expireAfterSeconds?: number;
  partialFilterExpression?: object;
}

export type IndexStep =
  | { action: 'create'; name: string; key: Record<string, 1 | -1>; options: Omit<WantedIndex[1], 'name'> }
  | { action: 'drop'; name: string }
  | { action: 'set_ttl'; name: string; expireAfterSeconds: number };

/** The name the driver gives an index without one (CreateIndexesOperation: the key's fields and directions joined by '_'). */
export function defaultIndexName(key: Record<string, unknown>): string {
  return Object.entries(key).flat().join('_');
}

/**
 * Reconciles one collection's indexes with the schema, instead of letting createIndexes fail on a changed definition
 * (IndexOptionsConflict 85, IndexKeySpecsConflict 86): an index whose key, uniqueness or partial filter changed is
 * dropped and built again; one whose TTL alone changed is retuned in place (collMod); a missing one is built; an index
 * under another name with the same key is dropped first (the server refuses two indexes on one key). Then the
 * `obsolete` indexes (an earlier version's, by name) that exist are dropped, after every index that replaces them is
 * built. Other indexes the schema does not know are left alone (e.g. an operator's own).
 */
export function indexSteps(wanted: WantedIndex[], existing: ExistingIndex[], obsolete: readonly string[] = []): IndexStep[] {
  const steps: IndexStep[] = [];
  const wantedNames = new Set(wanted.map(([key, options]) => options.name ?? defaultIndexName(key)));
  for (const [key, { name: given, ...options }] of wanted) {
    const name = given ?? defaultIndexName(key);
    const create: IndexStep = { action: 'create', name, key, options };
    const current = existing.find((index) => index.name === name);
    if (!current) {
      const sameKey = existing.find(
        (index) => !wantedNames.has(index.name) && index.name !== '_id_' && sameDocument(Object.entries(index.key), Object.entries(key)),
      );
      if (sameKey) steps.push({ action: 'drop', name: sameKey.name });
      steps.push(create);
      continue;
    }
    const shape = (index: { key: object; unique?: boolean; partialFilterExpression?: object }) => ({
      key: Object.entries(index.key),
      unique: index.unique === true,
      partialFilterExpression: index.partialFilterExpression ?? null,
    });
    if (!sameDocument(shape(current), shape({ key, ...options }))) {
      steps.push({ action: 'drop', name }, create);
    } else if (current.expireAfterSeconds !== options.expireAfterSeconds) {
      // collMod can change a TTL but not add or remove one: those are rebuilt.
      if (current.expireAfterSeconds !== undefined && options.expireAfterSeconds !== undefined) {
        steps.push({ action: 'set_ttl', name, expireAfterSeconds: options.expireAfterSeconds });
      } else steps.push({ action: 'drop', name }, create);
    }
  }
  for (const name of obsolete) {
    const dropped = steps.some((step) => step.action === 'drop' && step.name === name);
    if (!wantedNames.has(name) && !dropped && existing.some((index) => index.name === name)) steps.push({ action: 'drop', name });
  }
  return steps;
}

/** The original service's default mongoose collection names. */
export const ORIGINAL_COLLECTIONS = { inventory: 'inventories', reservations: 'reservations' } as const;

/**
 * One log line when the database holds the original service's data and none of ours: its `inventories` collection
 * exists and our `inventory_items` does not. (`reservations` is a name both services use, so it tells nothing.)
 */
export function originalServiceNotice(collectionNames: string[]): string | null {
  if (!collectionNames.includes(ORIGINAL_COLLECTIONS.inventory) || collectionNames.includes(COLLECTIONS.inventory)) return null;
  return (
    `This database holds the original service's '${ORIGINAL_COLLECTIONS.inventory}' collection and no '${COLLECTIONS.inventory}': ` +
    `the service starts empty. Copy its items and active holds with: npm run import:original`
  );
}
