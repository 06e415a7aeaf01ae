// The store writes each resource's JSON in ASCII: every character past U+007E is written as a
// `\uXXXX` escape (a character past U+FFFF as its two surrogate escapes), which any JSON reader
// turns back into the same text. The pages of `$everything` are spliced from the stored JSON, so
// they go out in ASCII too: a client reads them without UTF-8 decoding (one byte per character)
// and parses them as Latin-1 strings, its fastest path. `°C` costs 6 bytes instead of 2; names
// and notes with accents a few more, and the data is mostly ASCII anyway.

const BEYOND_ASCII = /[\u007f-\uffff]/g;

function escaped(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** JSON.stringify, with every character past U+007E escaped (the same value, ASCII text). */
export function asciiJson(value: unknown): string {
  return asciiText(JSON.stringify(value));
}

/** JSON text (or a piece of it) with every character past U+007E escaped. */
export function asciiText(json: string): string {
  // Most resources are ASCII already: one byte per character in UTF-8 and no DEL, found without a
  // pattern walk.
  if (Buffer.byteLength(json, 'utf8') === json.length && !json.includes('\u007f')) return json;
  return json.replace(BEYOND_ASCII, escaped);
}
