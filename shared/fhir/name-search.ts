// The one rule of a search by a patient's name (the privacy officer's trail views, at the hub and
// on the workstation): every word typed appears in the name as shown ("Family, Given"), ignoring
// case; commas and spaces separate words (callers pass at least one word).
export function nameHasEveryWord(name: string | null | undefined, query: string): boolean {
  const shown = name?.toLowerCase();
  if (!shown) return false;
  return query
    .toLowerCase()
    .split(/[\s,]+/)
    .filter((word) => word !== '')
    .every((word) => shown.includes(word));
}
