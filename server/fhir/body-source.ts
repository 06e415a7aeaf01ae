// What the hub learns of a FHIR JSON body from its text as received, once, when the body is parsed:
// whether the text can hold a control character at all (a JSON string holds one only through an
// escape: \b, \f or \u…; raw ones are not JSON), and, for a batch Bundle of AuditEvent uploads, the
// received text of each entry's resource (stored as it came instead of serialised again: the same
// JSON, since the resource is validated unchanged). Both are kept beside the parsed objects, never
// on them; a body without them is checked and serialised as before.

const clean = new WeakSet<object>();
const received = new WeakMap<object, string>();

/**
 * Could a string or key parsed from `source` (valid JSON) hold a control character? Only through a
 * \b, \f or \u escape: every backslash in JSON text starts an escape of the one character after it.
 */
function mayHoldControlCharacters(source: string): boolean {
  for (let at = source.indexOf('\\'); at !== -1; at = source.indexOf('\\', at + 2)) {
    const escaped = source.charCodeAt(at + 1);
    if (escaped === 0x62 || escaped === 0x66 || escaped === 0x75) return true; // b, f, u
  }
  return false;
}

/** Records what `source`, the text `body` was parsed from, tells about `body` and its Bundle entries' resources. */
export function noteBodySource(body: unknown, source: string): void {
  if (typeof body !== 'object' || body === null) return;
  const resources = bundleResources(body);
  if (!mayHoldControlCharacters(source)) {
    clean.add(body);
    for (const resource of resources) if (typeof resource === 'object' && resource !== null) clean.add(resource);
  }
  if (resources.length > 0 && isAuditUploadBatch(body)) {
    let spans: (Span | null)[] | null;
    try {
      spans = entryResourceSpans(source);
    } catch {
      return; // not reached for a text JSON.parse took; then the resources are serialised as before
    }
    if (spans === null || spans.length !== resources.length) return;
    for (let i = 0; i < spans.length; i += 1) {
      const resource = resources[i];
      const span = spans[i];
      if (typeof resource === 'object' && resource !== null && !Array.isArray(resource) && span !== null && span !== undefined) {
        received.set(resource, source.slice(span[0], span[1]));
      }
    }
  }
}

/** Whether `value` was parsed from a text without any control-character escape (so it holds none). */
export function isKnownFreeOfControlCharacters(value: object): boolean {
  return clean.has(value);
}

/** The JSON text `resource` was received as (an AuditEvent of an upload batch), when the hub kept it. */
export function receivedTextOf(resource: unknown): string | undefined {
  return typeof resource === 'object' && resource !== null ? received.get(resource) : undefined;
}

function bundleResources(body: object): unknown[] {
  const bundle = body as { resourceType?: unknown; entry?: unknown };
  if (bundle.resourceType !== 'Bundle' || !Array.isArray(bundle.entry)) return [];
  return bundle.entry.map((entry: unknown) =>
    typeof entry === 'object' && entry !== null ? (entry as { resource?: unknown }).resource : undefined,
  );
}

/** A batch whose first entry uploads an AuditEvent: only then is the text worth splitting. */
function isAuditUploadBatch(body: object): boolean {
  const bundle = body as { type?: unknown; entry?: { request?: { url?: unknown } }[] };
  const url = bundle.entry?.[0]?.request?.url;
  return bundle.type === 'batch' && typeof url === 'string' && url.startsWith('AuditEvent/');
}

type Span = readonly [start: number, end: number];

/**
 * The [start, end) of each top-level `entry[i].resource` value in `text`, a valid JSON object (it
 * has been parsed already); null for an entry that is not an object or has no resource. A member
 * given twice counts as JSON.parse counts it: the last one. Null when the text has no entry list.
 */
export function entryResourceSpans(text: string): (Span | null)[] | null {
  const scan = new Scanner(text);
  let spans: (Span | null)[] | null = null;
  scan.members((key) => {
    if (key === 'entry' && scan.peek() === '[') {
      const found: (Span | null)[] = [];
      scan.elements(() => {
        const at = found.push(null) - 1;
        if (scan.peek() !== '{') return scan.skipValue();
        scan.members((member) => {
          const start = scan.at;
          scan.skipValue();
          if (member === 'resource') found[at] = text[start] === '{' ? [start, scan.at] : null;
        });
      });
      spans = found;
    } else {
      if (key === 'entry') spans = null;
      scan.skipValue();
    }
  });
  return spans;
}

/** A cursor over valid JSON text: skips values, walks the members of an object and the elements of an array. */
class Scanner {
  at = 0;
  readonly #text: string;
  /**
   * The next backslash when last looked for (-1: none left, -2: not looked for yet), so strings
   * without one are skipped with one indexOf each.
   */
  #backslash = -2;

  constructor(text: string) {
    this.#text = text;
  }

  peek(): string {
    this.#skipSpace();
    return this.#text[this.at] ?? '';
  }

  /** Calls `onMember(key)` with the cursor at each member's value; the callback must move past the value. */
  members(onMember: (key: string) => void): void {
    this.#expect('{');
    if (this.peek() === '}') {
      this.at += 1;
      return;
    }
    for (;;) {
      this.#skipSpace();
      const keyStart = this.at;
      this.#skipString();
      const raw = this.#text.slice(keyStart, this.at);
      const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
      this.#expect(':');
      this.#skipSpace();
      onMember(key);
      if (this.#next() === '}') return;
    }
  }

  /** Calls `onElement()` with the cursor at each element; the callback must move past it. */
  elements(onElement: () => void): void {
    this.#expect('[');
    if (this.peek() === ']') {
      this.at += 1;
      return;
    }
    for (;;) {
      this.#skipSpace();
      onElement();
      if (this.#next() === ']') return;
    }
  }

  skipValue(): void {
    const first = this.peek();
    if (first === '"') return this.#skipString();
    if (first === '{' || first === '[') return this.#skipNested();
    while (this.at < this.#text.length && !',}] \t\n\r'.includes(this.#text[this.at]!)) this.at += 1;
  }

  /** Skips an object or array: strings whole, structural characters counted. */
  #skipNested(): void {
    const text = this.#text;
    let depth = 0;
    for (;;) {
      const ch = text.charCodeAt(this.at);
      if (ch === 0x22) {
        this.#skipString();
        continue;
      }
      this.at += 1;
      if (ch === 0x7b || ch === 0x5b) depth += 1;
      else if (ch === 0x7d || ch === 0x5d) {
        depth -= 1;
        if (depth === 0) return;
      } else if (Number.isNaN(ch)) throw new SyntaxError('unterminated JSON value');
    }
  }

  #skipString(): void {
    const text = this.#text;
    let from = this.at + 1;
    for (;;) {
      const quote = text.indexOf('"', from);
      if (quote === -1) throw new SyntaxError('unterminated JSON string');
      if (this.#backslash !== -1 && this.#backslash < from) this.#backslash = text.indexOf('\\', from);
      if (this.#backslash === -1 || this.#backslash > quote) {
        this.at = quote + 1;
        return;
      }
      from = this.#backslash + 2;
      this.#backslash = text.indexOf('\\', from);
    }
  }

  #skipSpace(): void {
    const text = this.#text;
    for (;;) {
      const ch = text.charCodeAt(this.at);
      if (ch !== 0x20 && ch !== 0x0a && ch !== 0x0d && ch !== 0x09) return;
      this.at += 1;
    }
  }

  #expect(ch: string): void {
    this.#skipSpace();
    if (this.#text[this.at] !== ch) throw new SyntaxError(`expected ${ch}`);
    this.at += 1;
  }

  /** The separator after a member or element: "," (continue) or the closing bracket. */
  #next(): string {
    this.#skipSpace();
    const ch = this.#text[this.at] ?? '';
    this.at += 1;
    return ch;
  }
}
