// Shared, frozen sub-objects. A ward holds ~100,000 resources; giving each Observation its own copy
// of the same LOINC code, category and references would triple the allocations (and the time spent
// collecting them). Coded values and references are therefore shared between resources and frozen,
// so a consumer that tries to change one in place fails loudly instead of changing them all. Each
// resource's own top level (and its meta) is never shared.

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
