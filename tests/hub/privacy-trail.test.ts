// The privacy officer's view of the trail at the hub, over real TLS on both storage engines: only
// her role may search it; she sees the workstations' uploaded events, the hub's break-the-glass
// reads and its sign-ins (with the username tried), newest first, with usernames and patients'
// names and MRNs resolved when she looks (none of them stored in the trail); filters by patient
// (id, MRN, name), user, action, period and workstation; repeated census reads collapsed; an
// uploaded entry that does not hash to its hash tagged; and `wardline-hub audit export`. Her own
// reading is recorded in the same trail: each search and export, who, when and which filters (a
// patient filter as the patient's reference, never a name or MRN). Pages follow a cursor on an
// indexed key, so records added while she pages never shift a page.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubErrorCode } from '../../shared/auth/index.js';
import { MRN_SYSTEM, validateResource, type Bundle } from '../../shared/fhir/index.js';
import { addUser } from '../../server/identity/index.js';
import { AUDIT_FLAG_SYSTEM, AUDIT_REPEATS_EXTENSION_URL } from '../../server/audit-trail/index.js';
import { hubCli } from '../support/hub-cli.js';
import { startHub, type HubEngine, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { admitPatient, feedResources, patient, seedWard, type AdmittedPatient } from '../support/hub-fixtures.js';
import { TestAuditChain } from '../support/audit-chain.js';
import { medplumErrors } from '../support/medplum-validator.js';

const PASSWORD = 'correct horse battery';
const DAY = 86_400_000;
const CENSUS = 'Encounter?location=Location/ward-a&status=in-progress';

interface Event {
  id: string;
  recorded: string;
  type?: { code?: string };
  meta?: { tag?: { system: string; code: string }[] };
  extension?: { url: string; valueInteger?: number }[];
  outcome?: string;
  outcomeDesc?: string;
  purposeOfEvent?: { text?: string }[];
  agent: { who?: { reference?: string; display?: string; identifier?: { value: string } }; name?: string }[];
  entity?: { what?: { reference?: string; display?: string }; name?: string; query?: string }[];
}

/** The filters a recorded search or export of the trail names (decoded from its query entity). */
function filtersOf(event: Event): Record<string, unknown> {
  const query = (event.entity ?? []).find((e) => e.query !== undefined)?.query;
  return JSON.parse(Buffer.from(query ?? '', 'base64').toString('utf8')) as Record<string, unknown>;
}

function events(bundle: Bundle): Event[] {
  return (bundle.entry ?? []).map((entry) => entry.resource as unknown as Event);
}

function patientsOf(event: Event): string[] {
  return (event.entity ?? []).map((e) => e.what?.reference ?? '').filter((r) => r.startsWith('Patient/'));
}

function namesOf(event: Event): string[] {
  return event.agent.map((a) => a.name ?? a.who?.display ?? '').filter((n) => n !== '');
}

describe.each<HubEngine>(['sqlite', 'postgres'])("the privacy officer's trail at the hub over TLS on %s", (engine) => {
  let hub: TestHub;
  let device: TestDevice;
  let otherDevice: TestDevice;
  let officer: TestDevice;
  let nurseId: string;
  let moreau: AdmittedPatient;
  let okafor: AdmittedPatient;
  let offWard: AdmittedPatient;
  /** The officer's searches answered so far (each is recorded in the trail). */
  let searches = 0;
  const chainStart = Date.now() - 2 * 3_600_000;
  const at = (minutes: number): string => new Date(chainStart + minutes * 60_000).toISOString();

  async function trail(query = ''): Promise<Bundle> {
    const response = await officer.fetch(`/fhir/AuditEvent${query}`);
    const body = (await response.json()) as Bundle;
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.type).toBe('searchset');
    searches += 1;
    return body;
  }

  beforeAll(async () => {
    hub = await startHub({ engine, rateLimit: { sustainedPerSecond: 10_000, burst: 10_000 } });
    await seedWard(hub.db, 'a');
    await seedWard(hub.db, 'b');
    moreau = await admitPatient(hub.db, 'a', { family: 'Moreau' });
    okafor = await admitPatient(hub.db, 'a', { family: 'Okafor' });
    offWard = await admitPatient(hub.db, 'b', { family: 'Lindqvist' });
    const created = new Date(Date.now() - 2 * DAY);
    nurseId = (await addUser(hub.db, { username: 'nurse.a', password: PASSWORD, role: 'nurse', wards: ['a'], mfa: false }, created)).userId;
    await addUser(hub.db, { username: 'privacy.a', password: PASSWORD, role: 'admin', wards: ['a'], mfa: false }, created);
    device = await hub.enrollDevice('a');
    otherDevice = await hub.enrollDevice('a');
    officer = await otherDevice.signedIn('privacy.a', PASSWORD);

    // Failed sign-ins at the hub: a wrong password for a real account, and a name nobody has.
    for (const username of ['nurse.a', 'Nobody.X']) {
      const refused = await device.fetch('/auth/login', {
        body: { username, password: 'wrong password!' },
        headers: { 'content-type': 'application/json' },
      });
      expect(refused.status).toBeGreaterThanOrEqual(400);
    }
    // A break-the-glass read the hub serves: the nurse opens an off-ward chart with a reason.
    const nurse = await device.signedIn('nurse.a', PASSWORD);
    const btg = await nurse.fetch(`/fhir/Patient/${offWard.patientId}`, {
      headers: { 'X-Wardline-Btg-Reason': 'ETREAT: called to a cardiac arrest on ward b' },
    });
    expect(btg.status).toBe(200);

    // The workstation's own trail, uploaded as it would: a session with three census refreshes
    // showing the same patient, another patient, a chart read, a failed sign-in by a typed name,
    // and one entry altered after it was hashed.
    const chain = new TestAuditChain(device.clientId);
    chain.define(1, { time: at(0), user: nurseId, session: 's-1', action: 'sign-in' });
    for (const n of [2, 3, 4])
      chain.define(n, {
        time: at(n),
        user: nurseId,
        session: 's-1',
        action: 'query',
        patient: moreau.patientId,
        query: CENSUS,
        purposeOfUse: 'TREAT',
      });
    chain.define(5, {
      time: at(5),
      user: nurseId,
      session: 's-1',
      action: 'query',
      patient: okafor.patientId,
      query: CENSUS,
      purposeOfUse: 'TREAT',
    });
    chain.define(6, {
      time: at(6),
      user: nurseId,
      session: 's-1',
      action: 'chart-read',
      patient: moreau.patientId,
      resources: [`Patient/${moreau.patientId}`],
      purposeOfUse: 'TREAT',
      detail: { view: 'summary' },
    });
    chain.define(7, {
      time: at(30),
      user: null,
      action: 'sign-in-failed',
      outcome: 'minor-failure',
      detail: { username: 'n.smith', reason: 'invalid-credentials' },
    });
    chain.define(8, {
      time: at(40),
      user: nurseId,
      session: 's-2',
      action: 'chart-read',
      patient: okafor.patientId,
      resources: [`Patient/${okafor.patientId}`],
    });
    const altered = JSON.stringify({ ...chain.body(8), patient: moreau.patientId });
    const upload = await device.fetch('/fhir', {
      body: {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [1, 2, 3, 4, 5, 6, 7, 8].map((n) => {
          const resource = chain.event(n, n === 8 ? { entryText: altered } : {});
          return { resource, request: { method: 'PUT', url: `AuditEvent/${resource.id}` } };
        }),
      },
    });
    expect(upload.status).toBe(200);
  });

  afterAll(async () => {
    await hub?.stop();
  });

  it('refuses the trail to a device alone, a nurse and a physician, with an OperationOutcome and a log line', async () => {
    await addUser(
      hub.db,
      { username: 'doctor.a', password: PASSWORD, role: 'physician', wards: ['a'], mfa: false },
      new Date(Date.now() - DAY),
    );
    for (const caller of [device, await device.signedIn('nurse.a', PASSWORD), await device.signedIn('doctor.a', PASSWORD)]) {
      const response = await caller.fetch('/fhir/AuditEvent');
      expect(response.status).toBe(403);
      const outcome = await response.json();
      expect((outcome as { resourceType: string }).resourceType).toBe('OperationOutcome');
      expect(hubErrorCode(outcome)).toBe('FORBIDDEN');
    }
    expect(hub.logs()).toMatch(/"event":"access-refused"[^\n]*"code":"FORBIDDEN"/);
  });

  it('shows every source newest first, with usernames, names and MRNs resolved when viewed and never stored in the trail', async () => {
    const all = events(await trail('?_count=100'));
    for (const event of all) {
      expect(() => validateResource(event), event.id).not.toThrow();
      expect(medplumErrors(event), event.id).toEqual([]);
    }
    const times = all.map((e) => Date.parse(e.recorded));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const read = all.find((e) => e.id === `${device.clientId}-6`)!;
    const mrn = patient(moreau.patientId).identifier![0]!.value!;
    expect(read.entity!.find((e) => e.what?.reference === `Patient/${moreau.patientId}`)!.what!.display).toBe(`Moreau, Alex (MRN ${mrn})`);
    expect(namesOf(read)).toContain('nurse.a');
    const btg = all.find((e) => patientsOf(e).includes(`Patient/${offWard.patientId}`))!;
    expect(btg.purposeOfEvent![0]!.text).toContain('cardiac arrest');
    expect(namesOf(btg)).toContain('nurse.a');

    const stored = await hub.db.query<{ resource: string }>('SELECT resource FROM audit_events');
    const text = stored.map((row) => row.resource).join('\n');
    expect(text).not.toContain('Moreau');
    expect(text).not.toContain(mrn);
    expect(text).not.toContain('nurse.a');

    // A name corrected by the hospital afterwards shows as it is now.
    await feedResources(hub.db, [patient(moreau.patientId, 'Moreau-Blanc')]);
    const again = events(await trail(`?patient=${moreau.patientId}&wardline-action=chart-read`));
    const shown = again.flatMap((e) => (e.entity ?? []).filter((x) => x.what?.reference === `Patient/${moreau.patientId}`));
    expect(shown.map((x) => x.what?.display)).toContain(`Moreau-Blanc, Alex (MRN ${mrn})`);
  });

  it('names the username tried on failed sign-ins, at the hub and on the workstation', async () => {
    const failed = events(await trail('?wardline-action=sign-in-failed'));
    const tried = failed.flatMap(namesOf);
    expect(tried).toEqual(expect.arrayContaining(['nurse.a', 'Nobody.X', 'n.smith']));
    expect(failed.find((e) => namesOf(e).includes('Nobody.X'))!.outcomeDesc).toBe('INVALID_CREDENTIALS');
    const byName = events(await trail('?agent-name=nobody.x'));
    expect(byName).toHaveLength(1);
  });

  it('filters by patient id, MRN or name, by user, action, period and workstation', async () => {
    const mrn = patient(okafor.patientId).identifier![0]!.value!;
    const byId = events(await trail(`?patient=Patient/${okafor.patientId}`)).map((e) => e.id);
    expect(byId.length).toBeGreaterThan(0);
    expect(events(await trail(`?patient.identifier=${encodeURIComponent(`${MRN_SYSTEM}|${mrn}`)}`)).map((e) => e.id)).toEqual(byId);
    expect(events(await trail('?patient.name=okafor')).map((e) => e.id)).toEqual(byId);
    expect(events(await trail('?patient.name=nobody')).length).toBe(0);
    for (const event of events(await trail(`?agent=Practitioner/${nurseId}`))) expect(namesOf(event)).toContain('nurse.a');
    const window = events(await trail(`?date=ge${at(1)}&date=lt${at(10)}`));
    expect(window.map((e) => e.id).sort()).toEqual([2, 5, 6].map((n) => `${device.clientId}-${n}`).sort());
    // The other workstation uploaded nothing: only the hub's record of the officer signing in there,
    // and of each search she made from it before this one.
    const before = searches;
    const other = events(await trail(`?source=Device/${otherDevice.clientId}&_count=500`));
    expect(other.map(namesOf)).toEqual(other.map(() => ['privacy.a']));
    expect(other.filter((e) => e.type?.code === '110114')).toHaveLength(1);
    expect(other.filter((e) => e.type?.code === '110112')).toHaveLength(before);
    expect(events(await trail(`?source=${device.clientId}&wardline-action=chart-read`)).length).toBe(2);
    // By AuditEvent type and subtype: the break-the-glass read is the hub's one RESTful operation here.
    const rest = events(await trail('?type=http://terminology.hl7.org/CodeSystem/audit-event-type|rest'));
    expect(rest.map((e) => [...new Set(patientsOf(e))])).toEqual([[`Patient/${offWard.patientId}`]]);
    expect(events(await trail('?subtype=read')).map((e) => e.id)).toEqual(rest.map((e) => e.id));
    const logins = events(await trail('?type=110114&subtype=110122'));
    expect(logins.map(namesOf).flat()).toEqual(expect.arrayContaining(['nurse.a', 'Nobody.X', 'privacy.a']));
  });

  it('collapses repeated census reads of one session into one row with their count, and shows them all on request', async () => {
    const query = `?patient=${moreau.patientId}&wardline-action=query`;
    const collapsed = events(await trail(query));
    expect(collapsed).toHaveLength(1);
    expect(collapsed[0]!.extension!.find((e) => e.url === AUDIT_REPEATS_EXTENSION_URL)!.valueInteger).toBe(3);
    expect(events(await trail(`${query}&wardline-dedup=false`))).toHaveLength(3);
  });

  it('tags an uploaded entry whose content does not hash to its hash', async () => {
    const tampered = events(await trail(`?source=${device.clientId}&wardline-action=chart-read`)).find(
      (e) => e.id === `${device.clientId}-8`,
    )!;
    expect(tampered.meta?.tag).toEqual([{ system: AUDIT_FLAG_SYSTEM, code: 'content-mismatch' }]);
  });

  it('pages with next links by a cursor, without overlap or gaps while her own searches are recorded, and refuses unknown parameters', async () => {
    const everything = events(await trail('?_count=500')).map((e) => e.id);
    const seen: string[] = [];
    let pages = 0;
    let page = await trail('?_count=3');
    for (;;) {
      pages += 1;
      expect(events(page).length).toBeLessThanOrEqual(3);
      seen.push(...events(page).map((e) => e.id));
      const next = page.link?.find((l) => l.relation === 'next')?.url;
      if (!next) break;
      expect(new URL(next).searchParams.get('_cursor')).toBeTruthy();
      page = await trail(next.slice(next.indexOf('?')));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBeGreaterThan(3);
    // Every row there was, plus the record of the whole-trail search just before paging (newer than
    // the first page's start); the records of the pages themselves come after it and never shift a page.
    expect(seen.slice(1)).toEqual(everything);
    expect(events(await trail('?wardline-action=trail-search&_count=1'))[0]!.id).not.toBe(seen[0]);
    for (const bad of ['?name=x', '?_count=0', '?date=yesterday', '?patient=a%20b', '?_offset=3', '?_cursor=not-a-cursor']) {
      const response = await officer.fetch(`/fhir/AuditEvent${bad}`);
      expect(response.status, bad).toBe(400);
      expect(hubErrorCode(await response.json())).toBe('INVALID_SEARCH');
    }
  });

  it('records each of her searches in the trail: who, when, which filters, a patient as a reference and never a name or MRN', async () => {
    const mrn = patient(okafor.patientId).identifier![0]!.value!;
    const asked = Date.now();
    await trail('?patient.name=okafor&wardline-action=chart-read');
    await trail(`?patient.identifier=${mrn}&date=ge${at(0)}`);
    const recorded = events(await trail('?wardline-action=trail-search&_count=2'));
    expect(recorded).toHaveLength(2);
    for (const event of recorded) {
      expect(() => validateResource(event), event.id).not.toThrow();
      expect(medplumErrors(event), event.id).toEqual([]);
      expect(namesOf(event)).toContain('privacy.a');
      expect(event.agent.map((a) => a.who?.reference)).toContain(`Device/${otherDevice.clientId}`);
      expect(Date.parse(event.recorded)).toBeGreaterThanOrEqual(asked - 1000);
      expect(patientsOf(event)).toEqual([`Patient/${okafor.patientId}`]);
      expect(filtersOf(event).patients).toEqual([`Patient/${okafor.patientId}`]);
    }
    const [byMrn, byName] = recorded;
    expect(filtersOf(byName!)).toMatchObject({ actions: ['chart-read'], dedup: true, count: 50 });
    expect(filtersOf(byMrn!)).toMatchObject({ from: at(0) });
    const stored = await hub.db.query<Record<string, unknown>>('SELECT * FROM audit_trail_views');
    const text = JSON.stringify(stored).toLowerCase();
    expect(text).not.toContain('okafor');
    expect(text).not.toContain(mrn.toLowerCase());
    expect(text).not.toContain('moreau');
  });

  it('exports a period as CSV (names resolved now), NDJSON or a FHIR Bundle with wardline-hub audit export', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'wardline-trail-export-'));
    try {
      const keyFile = join(folder, 'hub.key');
      await writeFile(keyFile, `${hub.hubKey.toString('base64')}\n`);
      await chmod(keyFile, 0o600);
      const store = hub.postgresUrl ? ['--postgres', hub.postgresUrl] : ['--data', dirname(hub.sqlitePath!)];
      const run = (args: string[]) => hubCli(['audit', 'export', ...args, ...store, '--key-file', keyFile]);
      const csv = await run(['--since', at(0), '--until', at(10), '--format', 'csv']);
      expect(csv.code, csv.err).toBe(0);
      const lines = csv.out.trimEnd().split('\r\n');
      expect(lines[0]).toBe(
        'time,source,workstation,userId,username,usernameTried,action,outcome,patientId,patientName,mrn,session,query,detail,eventId,chainFlags',
      );
      // Every row as recorded (no collapsing in an export), oldest first.
      expect(lines.slice(1).map((line) => line.split(',')[6])).toEqual(['sign-in', 'query', 'query', 'query', 'query', 'chart-read']);
      expect(csv.out).toContain('"Okafor, Alex"');
      expect(csv.out).toContain('nurse.a');

      const ndjson = await run(['--user', 'nobody.x', '--format', 'ndjson']);
      expect(ndjson.code, ndjson.err).toBe(0);
      const rows = ndjson.out
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Event);
      expect(rows).toHaveLength(1);
      expect(namesOf(rows[0]!)).toContain('Nobody.X');

      const fhir = await run(['--mrn', patient(okafor.patientId).identifier![0]!.value!, '--format', 'fhir']);
      expect(fhir.code, fhir.err).toBe(0);
      const bundle = JSON.parse(fhir.out) as Bundle;
      expect(bundle.type).toBe('collection');
      expect(bundle.entry!.length).toBeGreaterThan(0);

      const bad = await run(['--format', 'xml']);
      expect(bad.code).toBe(2);
      expect(bad.err.trim().split('\n')).toHaveLength(1);

      // Each export is in the trail too: the OS account that ran it, the filters, the patient as a reference.
      const exports = events(await trail('?wardline-action=trail-export'));
      expect(exports).toHaveLength(3);
      for (const event of exports) expect(() => validateResource(event), event.id).not.toThrow();
      expect(exports.map((e) => e.type?.code)).toEqual(['110106', '110106', '110106']);
      const [byMrn, byUser, byPeriod] = exports;
      expect(filtersOf(byMrn!).patients).toEqual([`Patient/${okafor.patientId}`]);
      // The MRN typed is recorded as the patient it found; the view resolves name and MRN only when shown.
      expect(JSON.stringify(filtersOf(byMrn!))).not.toContain(patient(okafor.patientId).identifier![0]!.value!);
      expect(JSON.stringify(await hub.db.query('SELECT * FROM audit_trail_views'))).not.toContain(
        patient(okafor.patientId).identifier![0]!.value!,
      );
      expect(filtersOf(byUser!).usernames).toEqual(['nobody.x']);
      expect(filtersOf(byPeriod!)).toMatchObject({ from: at(0), to: at(10), dedup: false });
      expect(namesOf(byPeriod!)[0]).toBe(userInfo().username);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
