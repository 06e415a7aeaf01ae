// Next and previous patient in the census order (Alt+↓ / Alt+↑ on a chart), by opaque ids.

/** The id `step` places after (or before, when negative) `currentId` in `order`; null at either end or when absent. */
export function neighbourPatient(order: readonly string[], currentId: string, step: 1 | -1): string | null {
  const index = order.indexOf(currentId);
  if (index < 0) return null;
  return order[index + step] ?? null;
}
