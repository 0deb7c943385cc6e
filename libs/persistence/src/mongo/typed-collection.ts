import type { Model, mongo } from 'mongoose';

/**
 * The model's driver collection, typed by its stored shape. The guarded writes go straight to the driver
 * so that each filter and update document is exactly what mongo-updates.ts builds (no schema casting).
 */
export function typedCollection<T extends mongo.Document>(model: Model<T>): mongo.Collection<T> {
  return model.collection as unknown as mongo.Collection<T>;
}
