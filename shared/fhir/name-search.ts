// The one rule of a search by a patient's name (the privacy officer's trail views, at the hub and
// on the workstation): every word typed starts a word of the name as shown ("Family, Given"),
// ignoring case; commas and spaces separate words. "oka" and "okafor ad" find "Okafor, Ade";
// "kafor" does not. The hub indexes the same words (nameWords), so its lookup and this check agree.

/** The words of a name or of a name search: lower case, split at spaces and commas, each once. */
export function nameWords(text: string): string[] {
  return [
    ...new Set(
      text
        .toLowerCase()
        .split(/[\s,]+/)
        .filter((word) => word !== ''),
    ),
  ];
}

/** Whether every word of `query` starts a word of `name` (false for no name or an empty query). */
export function nameHasEveryWord(name: string | null | undefined, query: string): boolean {
  if (!name) return false;
  const words = nameWords(name);
  const wanted = nameWords(query);
  return wanted.length > 0 && wanted.every((word) => words.some((w) => w.startsWith(word)));
}
