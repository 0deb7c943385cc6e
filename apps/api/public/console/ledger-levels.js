// Stock levels over time from a SKU's ledger: each movement's deltas applied in order.

/**
 * movements: newest first (as the API pages them). complete: the oldest movement is the SKU's first (levels start at 0);
 * otherwise `latest` (the ledger sums now) anchors the newest point and the levels are walked backwards.
 * Returns [times (Unix seconds), available[], reserved[], sold[]] oldest first, one point per movement.
 */
export function levelsFromLedger(movements, complete, latest) {
  const oldestFirst = [...movements].reverse();
  const points = [];
  if (complete || !latest) {
    let level = { available: 0, reserved: 0, sold: 0 };
    for (const m of oldestFirst) {
      level = { available: level.available + m.availableDelta, reserved: level.reserved + m.reservedDelta, sold: level.sold + m.soldDelta };
      points.push({ at: m.at, ...level });
    }
  } else {
    let level = { available: latest.availableQuantity, reserved: latest.reservedQuantity, sold: latest.soldQuantity };
    for (const m of movements) {
      points.unshift({ at: m.at, ...level });
      level = { available: level.available - m.availableDelta, reserved: level.reserved - m.reservedDelta, sold: level.sold - m.soldDelta };
    }
  }
  return [
    points.map((p) => Date.parse(p.at) / 1000),
    points.map((p) => p.available),
    points.map((p) => p.reserved),
    points.map((p) => p.sold),
  ];
}
