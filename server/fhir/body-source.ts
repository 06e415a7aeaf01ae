// What the hub learns of a FHIR JSON body from its text as received, once, when the body is parsed:
// whether the text can hold a control character at all (a JSON string holds one only through an
// escape: \b, \f or \u…; raw ones are not JSON). It is kept beside the parsed objects, never on
// them; a body without it is walked for control characters as before. The received text itself is
// never stored: a resource is stored as the serialisation of the validated resource.

const clean = new WeakSet<object>();

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
  if (mayHoldControlCharacters(source)) return;
  clean.add(body);
  for (const resource of bundleResources(body)) if (typeof resource === 'object' && resource !== null) clean.add(resource);
}

/** Whether `value` was parsed from a text without any control-character escape (so it holds none). */
export function isKnownFreeOfControlCharacters(value: object): boolean {
  return clean.has(value);
}

function bundleResources(body: object): unknown[] {
  const bundle = body as { resourceType?: unknown; entry?: unknown };
  if (bundle.resourceType !== 'Bundle' || !Array.isArray(bundle.entry)) return [];
  return bundle.entry.map((entry: unknown) =>
    typeof entry === 'object' && entry !== null ? (entry as { resource?: unknown }).resource : undefined,
  );
}
