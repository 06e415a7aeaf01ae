// The audit view (the privacy role): this workstation's audit trail, newest first, filtered by
// username, patient (MRN or words of the name) and time, a page at a time ("Load older entries"
// continues before the last one shown), with usernames, patient names and MRNs as the host resolves
// them now ("not held here" for a patient the chart cache no longer holds), and how many entries
// still wait for the hub. "Export" has the host write what the filters select to a file chosen in
// the save dialog; the window writes nothing. The host audits the viewing and the export.
import { startTransition, useActionState, useState } from 'react';
import { Button, FieldError, Form, Input, Label, TextField } from 'react-aria-components';
import type { AuditEntryViewData } from '../../../../shared/contract/index.js';
import { call, hostApi } from '../../host-api.js';
import { formatDateTime } from '../../../../shared/display/index.js';
import { asHostError } from '../chart/use-host-call.js';
import { TimeField } from '../documentation/time-field.js';
import { auditFilter, auditRequest, EMPTY_AUDIT_FILTERS, type AuditFilterRequest, type AuditFilters } from './audit-query.js';

interface Page {
  readonly entries: readonly AuditEntryViewData[];
  readonly next: number | null;
  readonly filters: AuditFilters;
  readonly upload: { readonly pending: number; readonly lastAcknowledgedUpload: string | null };
}

interface AuditView {
  readonly page: Page | null;
  readonly failure: string | null;
}

type AuditRequest = Parameters<ReturnType<typeof hostApi>['audit']['view']>[0];

export function AuditScreen(): React.JSX.Element {
  const [filters, setFilters] = useState<AuditFilters>(EMPTY_AUDIT_FILTERS);
  const [errors, setErrors] = useState<Partial<Record<keyof AuditFilters, string>>>({});
  // The action's state is what the list shows: the pages loaded so far and the last refusal.
  // `busy` is true while a page is with the host.
  const [view, loadPage, busy] = useActionState(
    async (previous: AuditView, query: { request: AuditRequest; applied: AuditFilters; after: Page | null }): Promise<AuditView> => {
      try {
        const answer = await call(hostApi().audit.view(query.request));
        return {
          page: {
            entries: query.after === null ? answer.entries : [...query.after.entries, ...answer.entries],
            next: answer.nextBeforeSequence,
            filters: query.applied,
            upload: answer.upload,
          },
          failure: null,
        };
      } catch (error) {
        return { page: previous.page, failure: asHostError(error).message };
      }
    },
    { page: null, failure: null },
  );
  const page = view.page;
  const failure = busy ? null : view.failure;

  // The export's outcome: what was written where, or why not. `exporting` while the host works.
  const [exported, exportView, exporting] = useActionState(
    async (_previous: { message: string; failed: boolean } | null, filter: AuditFilterRequest) => {
      try {
        const answer = await call(hostApi().audit.export(filter));
        return answer.saved
          ? { message: `Exported ${answer.entries} entr${answer.entries === 1 ? 'y' : 'ies'} to ${answer.fileName}.`, failed: false }
          : { message: 'Export cancelled: nothing was saved.', failed: false };
      } catch (error) {
        return { message: asHostError(error).message, failed: true };
      }
    },
    null,
  );

  const exportShown = (): void => {
    const applied = page?.filters ?? filters;
    const checked = auditFilter(applied);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    const filter = checked.filter;
    startTransition(() => exportView(filter));
  };

  const load = (applied: AuditFilters, after: Page | null): void => {
    const checked = auditRequest(applied, after?.next ?? undefined);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    const request = checked.request;
    startTransition(() => loadPage({ request, applied, after }));
  };
  const set =
    (key: keyof AuditFilters) =>
    (value: string): void =>
      setFilters((f) => ({ ...f, [key]: value }));

  return (
    <section className="screen" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit trail</h2>
      <p>
        Every view, search, print, documentation, sign-in, lock and emergency access on this workstation. Looking at this list is recorded
        too.
      </p>
      <Form
        className="form form--inline"
        validationBehavior="aria"
        onSubmit={(event) => {
          event.preventDefault();
          load(filters, null);
        }}
      >
        <TextField className="field" value={filters.username} onChange={set('username')} isInvalid={errors.username !== undefined}>
          <Label>Username</Label>
          <Input className="input" autoComplete="off" />
          <FieldError className="field__error">{errors.username}</FieldError>
        </TextField>
        <TextField className="field" value={filters.patient} onChange={set('patient')} isInvalid={errors.patient !== undefined}>
          <Label>Patient MRN or name</Label>
          <Input className="input" autoComplete="off" />
          <FieldError className="field__error">{errors.patient}</FieldError>
        </TextField>
        <OptionalTimeField label="From" value={filters.from} onChange={set('from')} error={errors.from} />
        <OptionalTimeField label="To" value={filters.to} onChange={set('to')} error={errors.to} />
        <div className="actions">
          <Button type="submit" className="button button--primary" isDisabled={busy}>
            Show entries
          </Button>
          <Button
            className="button"
            isDisabled={busy}
            onPress={() => {
              setFilters(EMPTY_AUDIT_FILTERS);
              load(EMPTY_AUDIT_FILTERS, null);
            }}
          >
            Clear filters
          </Button>
          <Button className="button" isDisabled={busy || exporting} onPress={exportShown}>
            Export
          </Button>
        </div>
      </Form>
      <p role="status" className="muted">
        {exporting ? 'Exporting…' : exported !== null && !exported.failed ? exported.message : ''}
      </p>
      {!exporting && exported?.failed === true ? (
        <p role="alert" className="text-danger">
          {exported.message}
        </p>
      ) : null}
      {failure !== null ? (
        <p role="alert" className="text-danger">
          {failure}
        </p>
      ) : null}
      <p role="status" className="muted">
        {busy
          ? 'Loading entries…'
          : page === null
            ? ''
            : `${page.entries.length} entr${page.entries.length === 1 ? 'y' : 'ies'} shown${page.next === null ? '' : ', more available'}.`}
      </p>
      {page !== null ? (
        <p className="muted">
          {`Upload to the hub: ${page.upload.pending} entr${page.upload.pending === 1 ? 'y' : 'ies'} waiting; last acknowledged ${
            page.upload.lastAcknowledgedUpload === null ? 'never' : formatDateTime(page.upload.lastAcknowledgedUpload)
          }.`}
        </p>
      ) : null}
      {page !== null && page.entries.length === 0 ? <p>No entries match these filters.</p> : null}
      {page !== null && page.entries.length > 0 ? (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Audit entries">
          <table className="table table--dense">
            <caption>Audit entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">No.</th>
                <th scope="col">Time</th>
                <th scope="col">User</th>
                <th scope="col">Action</th>
                <th scope="col">Patient</th>
                <th scope="col">Outcome</th>
                <th scope="col">Purpose</th>
                <th scope="col">Resources</th>
              </tr>
            </thead>
            <tbody>
              {page.entries.map((entry) => (
                <tr key={entry.sequence}>
                  <th scope="row" className="num">
                    {entry.sequence}
                  </th>
                  <td className="nowrap">{formatDateTime(entry.time)}</td>
                  <td>{userText(entry)}</td>
                  <td>
                    {entry.action}
                    {entry.query === null ? '' : ` (${entry.query})`}
                  </td>
                  <td>{patientText(entry)}</td>
                  <td>{entry.outcome}</td>
                  <td>{entry.purposeOfUse ?? '—'}</td>
                  <td>{entry.resources.length === 0 ? '—' : entry.resources.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {page !== null && page.next !== null ? (
        <Button className="button button--secondary" isDisabled={busy} onPress={() => load(page.filters, page)}>
          Load older entries
        </Button>
      ) : null}
    </section>
  );
}

/** The username, else the id the trail holds (a user this workstation does not know); a failed sign-in's tried username. */
function userText(entry: AuditEntryViewData): string {
  if (entry.user === null) return entry.usernameTried === null ? '—' : `${entry.usernameTried} (tried)`;
  return entry.username ?? `${entry.user} (not known here)`;
}

/** "Family, Given (MRN …)", else the id and that the chart cache no longer holds the patient. */
function patientText(entry: AuditEntryViewData): string {
  if (entry.patient === null) return '—';
  if (entry.patientLabel === null) return `${entry.patient} (not held here)`;
  return entry.patientLabel.mrn === null ? entry.patientLabel.name : `${entry.patientLabel.name} (MRN ${entry.patientLabel.mrn})`;
}

function OptionalTimeField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
}): React.JSX.Element {
  return <TimeField {...props} required={false} />;
}
