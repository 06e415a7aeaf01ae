// Printing the downtime MAR through the contract, as the window asks for it: a real host (vault,
// audit trail, sessions, IPC router), the PDF read back with pdf.js. What a nurse holds in her hand
// carries the mark, the patient's medicines and allergies; what the privacy officer sees is one
// print entry per patient; what the policy forbids is refused and recorded.
import { formatDateTime } from '../../shared/display/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { IpcResult } from '../../shared/contract/index.js';
import { readPdf, type ReadPdf } from '../../electron/print/test-helpers.js';
import { FAKE_CLOCK_START } from '../../electron/session/index.js';
import { startTestHost, type TestHost, type TestHostOptions } from '../support/host-harness.js';

// The synthetic ward's charts end at 2026-01-15T08:00Z; this is the last day and a half of them.
const FROM = '2026-01-14T00:00:00Z';
const TO = '2026-01-15T12:00:00Z';

interface Printed {
  readonly fileName: string;
  readonly mediaType: string;
  readonly base64: string;
  readonly pages: number;
  readonly patients: number;
}

let t: TestHost | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

async function host(options: TestHostOptions = {}): Promise<TestHost> {
  t = await startTestHost('print-mar', options);
  return t;
}

/** A time as every screen and print shows it (shared/display), in this machine's zone (the host's). */
function minute(ms: number): string {
  return formatDateTime(ms);
}

async function printed(result: IpcResult<unknown>): Promise<{ doc: Printed; pdf: ReadPdf }> {
  if (!result.ok) throw new Error(`print refused: ${result.error.code} ${result.error.message}`);
  const doc = result.value as Printed;
  return { doc, pdf: await readPdf(Buffer.from(doc.base64, 'base64')) };
}

const pageText = (pdf: ReadPdf, index: number): string => pdf.pages[index]!.join(' ');

function patientNames(h: TestHost): string[] {
  return h.ward.patients
    .flatMap((p) => (p.patient.name ?? []).flatMap((n) => [n.family ?? '', ...(n.given ?? [])]))
    .filter((n) => n.length > 2);
}

function expectNoNamesOutsideThePages(h: TestHost, doc: Printed, pdf: ReadPdf): void {
  expect(doc.fileName).toMatch(/^wardline-mar-\d{8}T\d{6}Z\.pdf$/);
  const metadata = JSON.stringify(pdf.info) + (pdf.xmp ?? '');
  expect(patientNames(h).length).toBeGreaterThanOrEqual(6);
  expect(pdf.info).toMatchObject({ Title: 'Wardline downtime MAR', Producer: 'Wardline' });
  for (const name of patientNames(h)) {
    expect(doc.fileName).not.toContain(name);
    expect(metadata).not.toContain(name);
  }
}

describe('printing the downtime MAR', () => {
  it("gives a nurse one patient's MAR with the mark on every page, their medicines and allergies, and records the print", async () => {
    // A ward whose charts end at the host's clock, so the last 24 hours hold doses given and held.
    const h = await host({ wardNow: new Date(FAKE_CLOCK_START).toISOString() });
    await h.signIn('nina');
    const patient = h.ward.patients[0]!;
    const patientId = patient.patient.id!;
    const result = await h.transport.send('print:mar', {
      scope: { patientId },
      from: new Date(FAKE_CLOCK_START - 24 * 3_600_000).toISOString(),
      to: new Date(FAKE_CLOCK_START + 24 * 3_600_000).toISOString(),
    });
    const { doc, pdf } = await printed(result);

    expect(doc).toMatchObject({ mediaType: 'application/pdf', patients: 1 });
    expect(pdf.pages).toHaveLength(doc.pages);
    const mark = `Printed by nina at ${minute(FAKE_CLOCK_START)} — data as of: not synced`;
    pdf.pages.forEach((lines, index) => {
      expect(lines, `page ${index + 1}`).toContain(mark);
      expect(lines, `page ${index + 1}`).toContain(`Page ${index + 1} of ${doc.pages}`);
      expect(lines, `page ${index + 1}`).toContain('CONFIDENTIAL — contains patient information');
    });
    const text = pdf.pages.map((_, i) => pageText(pdf, i)).join(' ');
    const activeOrders = patient.resources.filter((r) => r.resourceType === 'MedicationRequest' && r.status === 'active');
    expect(activeOrders.length).toBeGreaterThan(0);
    for (const order of activeOrders) {
      const medication = (order as { medicationCodeableConcept?: { text?: string; coding?: { display?: string }[] } })
        .medicationCodeableConcept;
      const name = medication?.text ?? medication?.coding?.[0]?.display;
      expect(text).toContain(name);
    }
    expect(text).toMatch(/ALLERGIES: /);
    expect(text).toMatch(/\b(GIVEN|HELD|LATE)\b/);
    expectNoNamesOutsideThePages(h, doc, pdf);

    const trail = h.host.audit.find({ patient: patientId });
    const prints = trail.filter((e) => e.action === 'print');
    expect(prints).toHaveLength(1);
    expect(prints[0]).toMatchObject({
      user: 'u-nurse-1',
      outcome: 'success',
      purposeOfUse: 'TREAT',
      detail: { document: 'mar', scope: 'patient', file: doc.fileName, pages: doc.pages, medications: activeOrders.length },
    });
    expect(prints[0]!.resources).toEqual(expect.arrayContaining([`Patient/${patientId}`, `MedicationRequest/${activeOrders[0]!.id}`]));
    // The reads behind the print are in the trail too, before it.
    expect(trail.map((e) => e.action)).toEqual(['chart-read', 'chart-read', 'print']);
    expect(h.host.audit.verify()).toMatchObject({ ok: true });
  });

  it('says how old the data is once the ward has been synced', async () => {
    const h = await host();
    const dataAsOf = FAKE_CLOCK_START - 17 * 60_000;
    h.host.vault.sync.setFact('data_as_of', new Date(dataAsOf).toISOString());
    await h.signIn('paul');
    const { pdf } = await printed(
      await h.transport.send('print:mar', { scope: { patientId: h.ward.patients[1]!.patient.id! }, from: FROM, to: TO }),
    );
    for (const lines of pdf.pages)
      expect(lines).toContain(`Printed by paul at ${minute(FAKE_CLOCK_START)} — data as of ${minute(dataAsOf)}`);
  });

  it('prints the whole ward in bed order, each patient from a new page, a restricted chart left out until the glass is broken', async () => {
    const h = await host();
    await h.signIn('nina');
    const census = await h.transport.send('chart:census', {});
    if (!census.ok) throw new Error(census.error.code);
    const onWard = census.value as { patientId: string; name: string; bed: string | null }[];
    expect(onWard.length).toBe(3);
    const sequenceBefore = h.host.audit.head().sequence;

    const { doc, pdf } = await printed(await h.transport.send('print:mar', { scope: { ward: true }, from: FROM, to: TO }));
    expect(doc.patients).toBe(onWard.length);
    // Each patient's section starts on a page of its own, in the census's bed order.
    const firstPages = onWard.map((entry) => pdf.pages.findIndex((lines) => lines.includes(entry.name)));
    expect(firstPages[0]).toBe(0);
    for (let i = 1; i < firstPages.length; i++) expect(firstPages[i]!).toBeGreaterThan(firstPages[i - 1]!);
    onWard.forEach((entry, i) => {
      const header = pdf.pages[firstPages[i]!]!.find((line) => line.startsWith(`${entry.name} — MRN`));
      expect(header, entry.name).toContain(entry.bed!);
      if (i > 0) expect(pageText(pdf, firstPages[i]! - 1)).not.toContain(`${entry.name} — MRN`);
    });
    for (const lines of pdf.pages) expect(lines.some((l) => l.startsWith('Printed by nina at '))).toBe(true);
    const restrictedPage = firstPages[onWard.findIndex((e) => e.patientId === h.restrictedPatientId)]!;
    expect(pageText(pdf, restrictedPage)).toContain('MAR NOT PRINTED: this chart is restricted.');
    expectNoNamesOutsideThePages(h, doc, pdf);

    const written = h.host.audit.find({ user: 'u-nurse-1' }).filter((e) => e.sequence > sequenceBefore);
    const prints = written.filter((e) => e.action === 'print');
    expect(prints.map((e) => e.patient).sort()).toEqual(onWard.map((e) => e.patientId).sort());
    expect(prints.find((e) => e.patient === h.restrictedPatientId)!.detail).toMatchObject({ scope: 'ward', withheld: true });
    // The restricted chart was not read: only its census line.
    expect(
      written
        .filter((e) => e.patient === h.restrictedPatientId)
        .map((e) => e.action)
        .sort(),
    ).toEqual(['print', 'query']);

    await h.transport.send('session:break-glass', {
      patientId: h.restrictedPatientId,
      reasonCode: 'ETREAT',
      reasonText: 'Network down, MAR needed for the night shift',
    });
    const again = await printed(await h.transport.send('print:mar', { scope: { ward: true }, from: FROM, to: TO }));
    expect(again.pdf.pages.map((lines) => lines.join(' ')).join(' ')).not.toContain('MAR NOT PRINTED');
    const glassPrint = h.host.audit
      .find({ patient: h.restrictedPatientId })
      .filter((e) => e.action === 'print')
      .at(-1)!;
    expect(glassPrint).toMatchObject({ purposeOfUse: 'ETREAT', outcome: 'success' });
  });

  it('refuses to print when the machine policy forbids it, producing nothing and recording the refusal', async () => {
    const h = await host({ policy: { printing: { allowed: false } } });
    await h.signIn('nina');
    const patientId = h.ward.patients[0]!.patient.id!;
    const before = h.host.audit.head().sequence;
    const one = await h.transport.send('print:mar', { scope: { patientId }, from: FROM, to: TO });
    const ward = await h.transport.send('print:mar', { scope: { ward: true }, from: FROM, to: TO });
    for (const result of [one, ward]) {
      expect(result).toMatchObject({ ok: false, error: { code: 'PRINTING_DISABLED' } });
      expect(JSON.stringify(result)).not.toContain('base64');
    }
    const written = h.host.audit.find({}).filter((e) => e.sequence > before);
    // Nothing was read for a print that was not going to happen, and both refusals are on record.
    expect(written.map((e) => [e.action, e.outcome, e.patient, e.user])).toEqual([
      ['print', 'minor-failure', patientId, 'u-nurse-1'],
      ['print', 'minor-failure', null, 'u-nurse-1'],
    ]);
    expect(written[0]!.detail).toMatchObject({ scope: 'patient', reason: 'printing is not allowed by the machine policy' });
    expect(written[1]!.detail).toMatchObject({ scope: 'ward' });
  });

  it('refuses a clerk, and a window that is not a downtime window, before reading anything', async () => {
    const h = await host();
    const patientId = h.ward.patients[0]!.patient.id!;
    await h.signIn('carla');
    expect(await h.transport.send('print:mar', { scope: { patientId }, from: FROM, to: TO })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await h.transport.send('print:mar', { scope: { ward: true }, from: FROM, to: TO })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    await h.transport.send('session:sign-out', {});
    await h.signIn('nina');
    expect(await h.transport.send('print:mar', { scope: { patientId }, from: TO, to: FROM })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_WINDOW' },
    });
    expect(await h.transport.send('print:mar', { scope: { ward: true }, from: '2026-01-01T00:00:00Z', to: TO })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_WINDOW' },
    });
    expect(await h.transport.send('print:mar', { scope: { patientId: 'no-such-patient' }, from: FROM, to: TO })).toMatchObject({
      ok: false,
      error: { code: 'NOT_IN_CACHE' },
    });
    expect(h.host.audit.find({}).filter((e) => e.patient !== null || e.action === 'print')).toEqual([]);
  });
});
