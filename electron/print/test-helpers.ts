// Test support for prints: reads a PDF back with pdf.js (Mozilla's reader, not the library that
// wrote it) into each page's lines of text and the document's metadata.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface ReadPdf {
  /** Each page's text items, in drawing order (one item per drawn line of text). */
  readonly pages: readonly (readonly string[])[];
  /** The document information dictionary (Title, Producer, Author…), as pdf.js reads it. */
  readonly info: Readonly<Record<string, unknown>>;
  /** The XMP metadata's text, or null when the document has none. */
  readonly xmp: string | null;
}

export async function readPdf(bytes: Uint8Array): Promise<ReadPdf> {
  const doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
  try {
    const pages: string[][] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      pages.push(content.items.flatMap((item) => ('str' in item && item.str.length > 0 ? [item.str] : [])));
    }
    const metadata = await doc.getMetadata();
    return {
      pages,
      info: metadata.info as Record<string, unknown>,
      xmp: metadata.metadata === null ? null : JSON.stringify(metadata.metadata.getAll()),
    };
  } finally {
    await doc.destroy();
  }
}

/** A time as a print writes it (shared/display's clinical format: "06 Jan 2025, 08:05"), as a pattern source. */
export const PRINTED_TIME_PATTERN = String.raw`\d{2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}`;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A printed time read back as minutes since the epoch on a clock without zone (for ordering two printed times). */
export function printedTimeOrder(text: string): number {
  const match = /^(\d{2}) ([A-Z][a-z]{2}) (\d{4}), (\d{2}):(\d{2})$/.exec(text);
  if (match === null) throw new Error(`not a printed time: ${text}`);
  const [, day, month, year, hour, minute] = match;
  return Date.UTC(Number(year), MONTHS.indexOf(month!), Number(day), Number(hour), Number(minute)) / 60_000;
}
