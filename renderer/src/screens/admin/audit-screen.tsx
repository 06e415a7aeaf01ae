// The audit view (admin and privacy roles): this workstation's audit trail filtered by patient id,
// user id and time, a page at a time ("Load more" continues after the last sequence). The host
// audits the viewing itself.
import { startTransition, useActionState, useState } from 'react';
import { Button, FieldError, Form, Input, Label, TextField } from 'react-aria-components';
import type { AuditEntryViewData } from '../../../../shared/contract/index.js';
import { call, hostApi } from '../../host-api.js';
import { formatDateTime } from '../../../../shared/display/index.js';
import { asHostError } from '../chart/use-host-call.js';
import { TimeField } from '../documentation/time-field.js';
import { auditRequest, EMPTY_AUDIT_FILTERS, type AuditFilters } from './audit-query.js';

interface Page {
  readonly entries: readonly AuditEntryViewData[];
  readonly next: number | null;
  readonly filters: AuditFilters;
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
            next: answer.nextAfterSequence,
            filters: query.applied,
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
        <TextField className="field" value={filters.patientId} onChange={set('patientId')} isInvalid={errors.patientId !== undefined}>
          <Label>Patient id</Label>
          <Input className="input" />
          <FieldError className="field__error">{errors.patientId}</FieldError>
        </TextField>
        <TextField className="field" value={filters.userId} onChange={set('userId')} isInvalid={errors.userId !== undefined}>
          <Label>User id</Label>
          <Input className="input" />
          <FieldError className="field__error">{errors.userId}</FieldError>
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
        </div>
      </Form>
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
      {page !== null && page.entries.length === 0 ? <p>No entries match these filters.</p> : null}
      {page !== null && page.entries.length > 0 ? (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Audit entries">
          <table className="table table--dense">
            <caption>Audit entries, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">No.</th>
                <th scope="col">Time</th>
                <th scope="col">User</th>
                <th scope="col">Action</th>
                <th scope="col">Patient id</th>
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
                  <td>{entry.user ?? '—'}</td>
                  <td>
                    {entry.action}
                    {entry.query === null ? '' : ` (${entry.query})`}
                  </td>
                  <td>{entry.patient ?? '—'}</td>
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
          Load more
        </Button>
      ) : null}
    </section>
  );
}

function OptionalTimeField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
}): React.JSX.Element {
  return <TimeField {...props} required={false} />;
}
