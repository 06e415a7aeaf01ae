// Walking the structure of a JSON text (its UTF-8 bytes) without building it: the members of an
// object and the elements of an array as [start, end) byte ranges, so a large answer (a Bundle page)
// can be decoded and parsed one piece at a time, never as one page-sized string. (The structural
// characters are ASCII, and no byte of a multi-byte UTF-8 character is ASCII.) Every piece a caller
// uses goes through JSON.parse, and what it skips is parsed here too, so a text is accepted only if
// it is valid JSON throughout; anything else is a JsonShapeError naming the position (never the
// content).
import { WardlineError } from '../../shared/errors/index.js';

/** Bytes that are not the JSON expected; the message names the position only. */
export class JsonShapeError extends WardlineError<'JSON_SHAPE'> {
  override readonly name = 'JsonShapeError';

  constructor(what: string, position: number) {
    super('JSON_SHAPE', `${what} at position ${position}`);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** The byte at `at`, or -1 past the end. */
function byteAt(text: Buffer, at: number): number {
  return at < text.length ? text[at]! : -1;
}

export function skipSpace(text: Buffer, at: number): number {
  let i = at;
  while (i < text.length && isSpace(text[i]!)) i += 1;
  return i;
}

/** The index after the string starting at `at` (its opening quote). */
function stringEnd(text: Buffer, at: number): number {
  let i = at + 1;
  for (;;) {
    const quote = text.indexOf(QUOTE, i);
    if (quote === -1) throw new JsonShapeError('unterminated string', at);
    let backslashes = 0;
    for (let j = quote - 1; j > at && text[j] === BACKSLASH; j -= 1) backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

/** The index after the JSON value starting at `at` (no leading space). Nested values are matched, not checked. */
export function valueEnd(text: Buffer, at: number): number {
  const first = byteAt(text, at);
  if (first === QUOTE) return stringEnd(text, at);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    let i = at;
    while (i < text.length) {
      const code = text[i]!;
      if (code === QUOTE) {
        i = stringEnd(text, i);
        continue;
      }
      if (code === OPEN_BRACE || code === OPEN_BRACKET) depth += 1;
      else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
        depth -= 1;
        if (depth === 0) return i + 1;
      }
      i += 1;
    }
    throw new JsonShapeError('unterminated object or array', at);
  }
  // A number, true, false or null: up to the next delimiter (JSON.parse checks it).
  let i = at;
  while (i < text.length) {
    const code = text[i]!;
    if (code === COMMA || code === CLOSE_BRACE || code === CLOSE_BRACKET || isSpace(code)) break;
    i += 1;
  }
  if (i === at) throw new JsonShapeError('value expected', at);
  return i;
}

/** The text of bytes [start, end). */
export function textOf(text: Buffer, start: number, end: number): string {
  return text.toString('utf8', start, end);
}

/** JSON.parse of bytes [start, end) (or of `decoded`, their text), as a JsonShapeError when it is not valid JSON. */
export function parseRange(text: Buffer, start: number, end: number, decoded = textOf(text, start, end)): unknown {
  try {
    return JSON.parse(decoded) as unknown;
  } catch {
    throw new JsonShapeError('invalid JSON value', start);
  }
}

function expect(text: Buffer, at: number, code: number, what: string): void {
  if (byteAt(text, at) !== code) throw new JsonShapeError(`${what} expected`, at);
}

/**
 * Calls `member` with each key of the object starting at `at` and its value's range; returns the
 * index after the object. Keys are parsed; values are left to `member`.
 */
export function forEachMember(text: Buffer, at: number, member: (key: string, start: number, end: number) => void): number {
  expect(text, at, OPEN_BRACE, 'object');
  let i = skipSpace(text, at + 1);
  if (byteAt(text, i) === CLOSE_BRACE) return i + 1;
  for (;;) {
    expect(text, i, QUOTE, 'key');
    const keyEnd = stringEnd(text, i);
    const key = parseRange(text, i, keyEnd) as string;
    i = skipSpace(text, keyEnd);
    expect(text, i, COLON, 'colon');
    const start = skipSpace(text, i + 1);
    const end = valueEnd(text, start);
    member(key, start, end);
    i = skipSpace(text, end);
    const code = byteAt(text, i);
    if (code === CLOSE_BRACE) return i + 1;
    if (code !== COMMA) throw new JsonShapeError('comma or end of object expected', i);
    i = skipSpace(text, i + 1);
  }
}

/**
 * Calls `element` with the start of each element of the array starting at `at`; it returns the
 * index after that element (e.g. forEachMember's answer, so an element is walked once, not twice).
 * Returns the index after the array.
 */
export function forEachElement(text: Buffer, at: number, element: (start: number) => number): number {
  expect(text, at, OPEN_BRACKET, 'array');
  let i = skipSpace(text, at + 1);
  if (byteAt(text, i) === CLOSE_BRACKET) return i + 1;
  for (;;) {
    const end = element(i);
    i = skipSpace(text, end);
    const code = byteAt(text, i);
    if (code === CLOSE_BRACKET) return i + 1;
    if (code !== COMMA) throw new JsonShapeError('comma or end of array expected', i);
    i = skipSpace(text, i + 1);
  }
}
