import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryDataDir } from '../vault/test-helpers.js';
import { inPageDelivery, pdfFolderDelivery, printoutsFolder, removePrintouts } from './print-delivery.js';

const DOCUMENT = { bytes: new TextEncoder().encode('%PDF-1.7 synthetic'), fileName: 'wardline-mar-20260101T000000Z.pdf' };
let dir: { dir: string; remove: () => void } | null = null;
afterEach(() => dir?.remove());

describe('how a printed MAR leaves the host', () => {
  it('saves it, where the policy allows, only in the printouts folder of the data folder, readable by this user alone', async () => {
    dir = temporaryDataDir('printouts');
    const delivery = pdfFolderDelivery(dir.dir);
    const first = await delivery.deliver(DOCUMENT);
    const second = await delivery.deliver(DOCUMENT);
    expect(first.delivery).toBe('pdf-file');
    const names = readdirSync(printoutsFolder(dir.dir)).sort();
    expect(names).toHaveLength(2);
    for (const name of names) expect(name).toMatch(/^wardline-mar-20260101T000000Z-[0-9a-f]{6}\.pdf$/);
    expect(names).toContain((first as { fileName: string }).fileName);
    expect(names).toContain((second as { fileName: string }).fileName);
    const file = `${printoutsFolder(dir.dir)}/${names[0]!}`;
    expect(readFileSync(file, 'utf8')).toBe('%PDF-1.7 synthetic');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o077).toBe(0);

    expect(removePrintouts(dir.dir)).toBe(2);
    expect(existsSync(printoutsFolder(dir.dir))).toBe(false);
    expect(removePrintouts(dir.dir)).toBe(0);
  });

  it('hands it back to the page in evaluation mode, writing nothing', async () => {
    dir = temporaryDataDir('in-page');
    const delivered = await inPageDelivery.deliver(DOCUMENT);
    expect(delivered).toEqual({ delivery: 'in-page', fileName: DOCUMENT.fileName, base64: Buffer.from(DOCUMENT.bytes).toString('base64') });
    expect(readdirSync(dir.dir)).toEqual([]);
  });
});
