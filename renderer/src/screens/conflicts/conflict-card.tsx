// One conflict: both versions side by side ("Your version (this workstation)" and "The hub's
// version") in clinical words (what was recorded, its value and unit, time, who recorded it, status,
// note; links to other records only where they differ), differing rows marked in words and colour,
// and the three ways out, each saying what it will do: keep the hub's version, keep mine (sent again
// over the hub's), or combine field by field. A patient who left the ward is marked so; the hub still
// shows this workstation its copy of a record of the stay the ward may change, so the card is the
// same. When the hub did not show its copy all the same (it named only a newer version), the card
// says so plainly: what is known, what is not, and what each choice does without it. A conflict the user may not open is a card saying why; when
// break-the-glass would open it (a restricted chart, also one no longer held here), the card offers
// emergency access with a reason, and the list then shows the conflict to settle. A conflict with the
// hospital's EHR shows what was documented here and the EHR's record that contradicts it, and offers
// sending it to the EHR anyway or keeping it out of the EHR. A conflict whose record was marked entered
// in error meanwhile (at the hub, or in the EHR) says so, by whom and when; entered in error is final,
// so it offers neither "Keep my version", "Combine" nor "Send to the EHR", but accepting the withdrawal
// or recording the vital sign documented here again as a new entry (its value stays shown until then).
import { startTransition, useActionState, useState } from 'react';
import { Button } from 'react-aria-components';
import type { ConflictViewData } from '../../../../shared/contract/index.js';
import { call, hostApi } from '../../host-api.js';
import { formatDateTime } from '../../../../shared/display/index.js';
import { ChoiceGroup } from '../chart/choice-group.js';
import { EmergencyAccessPanel } from '../chart/emergency-access-panel.js';
import { rememberGrant } from '../chart/emergency-grants.js';
import { attemptHostRequest, NOT_TRIED, type HostAttempt } from '../chart/host-attempt.js';
import { combinedResources, defaultChoices, type FieldChoice } from './combine.js';
import { conflictKind, conflictReasonText, resourceName, withdrawnText } from './conflict-text.js';
import { differingFields, fieldRows, pairResources, shownRows, type ResourcePair } from './field-diff.js';
import { rowText } from './field-text.js';

type Choices = Record<string, Record<string, FieldChoice>>;
type ResolveRequest = Parameters<ReturnType<typeof hostApi>['conflict']['resolve']>[0];
/** The choices that settle a conflict by whole records (a combination carries its resources). */
type WholeChoice = Exclude<ResolveRequest['choice'], 'combine'>;

const SOURCES = [
  { id: 'mine', label: 'This workstation' },
  { id: 'hub', label: 'Hub' },
] as const;

interface ConflictCardProps {
  conflict: ConflictViewData;
  patientLabel: string;
  onSettled: (message: string) => void;
}

export function ConflictCard(props: ConflictCardProps): React.JSX.Element {
  return props.conflict.withheld === null ? <OpenConflictCard {...props} /> : <WithheldConflictCard {...props} />;
}

/** Where the patient is: left the ward (chart kept for the conflict), or no longer held here at all. */
function PatientMark({ conflict }: { conflict: ConflictViewData }): React.JSX.Element | null {
  if (!conflict.chartHeld) {
    return (
      <p>
        <span className="badge badge--alert">Patient no longer on this ward</span> This workstation no longer holds this patient&apos;s
        chart. Only what the conflict itself holds is shown: patient record <code>{conflict.patientId}</code>.
      </p>
    );
  }
  if (!conflict.leftWard) return null;
  return (
    <p>
      <span className="badge badge--alert">Left the ward</span> This patient was discharged or transferred. Their chart stays on this
      workstation only until this conflict is settled.
    </p>
  );
}

function WithheldConflictCard({ conflict, patientLabel, onSettled }: ConflictCardProps): React.JSX.Element {
  const headingId = `conflict-${conflict.conflictId}`;
  const [askingForAccess, setAskingForAccess] = useState(false);
  const explanation = conflict.withheld?.message ?? '';
  return (
    <section className="card conflict" aria-labelledby={headingId}>
      <h3 id={headingId}>Conflict for {patientLabel} (not shown to you)</h3>
      <PatientMark conflict={conflict} />
      <p className="muted">Found {formatDateTime(conflict.detectedAt)}</p>
      {askingForAccess ? (
        <EmergencyAccessPanel
          patientId={conflict.patientId}
          explanation={explanation}
          onGranted={(expiresAt) => {
            rememberGrant(conflict.patientId, expiresAt);
            onSettled(`Emergency access granted until ${formatDateTime(expiresAt)}: the conflict is shown so you can settle it.`);
          }}
          onCancel={() => setAskingForAccess(false)}
        />
      ) : (
        <p className="message message--warning">{explanation}</p>
      )}
      {conflict.withheld?.code === 'BTG_REQUIRED' && !askingForAccess ? (
        <div className="actions">
          <Button className="button button--danger" onPress={() => setAskingForAccess(true)}>
            Use emergency access to settle
          </Button>
        </div>
      ) : null}
    </section>
  );
}

/** The hub's version number of a resource it named but no longer shows this workstation, or null. */
function unseenVersionOf(conflict: ConflictViewData, pair: ResourcePair): string | null {
  return conflict.hubVersionsOnly.find((version) => `${version.resourceType}/${version.id}` === pair.key)?.versionId ?? null;
}

/** What the hub's copy is when it cannot be shown: what is known and what is not. */
function UnseenHubCopy(): React.JSX.Element {
  return (
    <div className="message message--warning">
      <p>
        The hub&apos;s copy was changed after you recorded this, by someone else or on another workstation. It cannot be shown here because
        the patient has left this ward and the hub did not show this workstation that copy.
      </p>
      <p>Known: what you documented (below), and that the hub holds a newer copy. Not known here: what that copy now says.</p>
    </div>
  );
}

/** What each way out does, in words, before the user presses it. */
function ChoiceEffects({ unseen, canCombine }: { unseen: boolean; canCombine: boolean }): React.JSX.Element {
  return (
    <section aria-label="What each choice does">
      <h4>What each choice does</h4>
      <ul>
        <li>
          <strong>Keep hub version:</strong> your change is set aside; the hub&apos;s version stays as it is
          {unseen ? ', even though it cannot be shown here' : ''}.
        </li>
        <li>
          <strong>Keep my version:</strong> your version is sent to the hub again and replaces the hub&apos;s version
          {unseen ? ', whatever it now says' : ''}.
        </li>
        {canCombine ? (
          <li>
            <strong>Combine:</strong> you choose, line by line, which value to keep; the notes of both versions are kept.
          </li>
        ) : unseen ? (
          <li>
            <strong>Combine</strong> is not offered: the hub&apos;s version cannot be shown.
          </li>
        ) : null}
      </ul>
    </section>
  );
}

/** Why a record marked entered in error meanwhile cannot be replaced, and what each remaining choice does. */
function WithdrawnChoices({ conflict }: { conflict: ConflictViewData }): React.JSX.Element {
  const recordAgain = conflict.withdrawn.some((withdrawn) => withdrawn.canRecordAgain);
  const upstream = conflict.reason === 'upstream-conflict';
  return (
    <section aria-label="Marked entered in error">
      <h4>Marked entered in error</h4>
      {conflict.withdrawn.map((withdrawn, index) => (
        <p key={index} className="message message--warning">
          {withdrawnText(withdrawn)}
        </p>
      ))}
      <p>
        Entered in error is final: your version cannot {upstream ? 'be sent to the EHR over it' : 'replace it or be combined with it'}. Your
        value is not lost: it is shown below{recordAgain ? ' and can be recorded again as a new entry' : ''}.
      </p>
      <h4>What each choice does</h4>
      <ul>
        {recordAgain ? (
          <li>
            <strong>Record again as a new entry:</strong> your value is recorded as a new vital sign, measured at the same time, in your
            name; the entry marked in error stays withdrawn.
          </li>
        ) : null}
        <li>
          <strong>Accept entered in error:</strong>{' '}
          {upstream
            ? "your change is kept out of the EHR (the hub keeps it in the record's history) and the hub takes in the EHR's withdrawal"
            : 'your change is set aside and the entry stays withdrawn'}
          {recordAgain ? '' : '. If a dose was given after all, record it again on the MAR'}.
        </li>
      </ul>
    </section>
  );
}

function OpenConflictCard({ conflict, patientLabel, onSettled }: ConflictCardProps): React.JSX.Element {
  const headingId = `conflict-${conflict.conflictId}`;
  const upstream = conflict.reason === 'upstream-conflict';
  // Entered in error meanwhile: final, so no version of this workstation's goes over it.
  const withdrawn = conflict.withdrawn.length > 0;
  const pairs = pairResources(conflict.local, conflict.hub);
  const canCombine = !upstream && !withdrawn && pairs.some((pair) => differingFields(pair).length > 0);
  const unseen = !upstream && pairs.some((pair) => pair.hub === null && unseenVersionOf(conflict, pair) !== null);
  const [combining, setCombining] = useState(false);
  const [choices, setChoices] = useState<Choices>(() => defaultChoices(conflict.local, conflict.hub));
  // The action's state is the last attempt: the host's refusal, or done (the list reloads without
  // this card; the buttons stay disabled). `pending` is true while the request is with the host.
  const [attempt, resolve, pending] = useActionState(
    (_previous: HostAttempt, resolution: { request: ResolveRequest; done: string }) =>
      attemptHostRequest(
        () => call(hostApi().conflict.resolve(resolution.request)),
        () => onSettled(resolution.done),
      ),
    NOT_TRIED,
  );
  const busy = pending || attempt.done;
  const failure = pending ? null : attempt.failure;

  const settle = (request: ResolveRequest, done: string): void => {
    if (busy) return;
    startTransition(() => resolve({ request, done }));
  };
  /** A button that settles the conflict by one of the whole-record choices, and what the screen then says. */
  const settleButton = (choice: WholeChoice, label: string, done: string, kind: 'primary' | 'secondary' = 'secondary') => (
    <Button
      className={`button button--${kind}`}
      isDisabled={busy}
      onPress={() => settle({ conflictId: conflict.conflictId, choice }, done)}
    >
      {label}
    </Button>
  );
  const choose = (pairKey: string, field: string, choice: FieldChoice): void =>
    setChoices((current) => ({ ...current, [pairKey]: { ...current[pairKey], [field]: choice } }));

  return (
    <section className="card conflict" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {conflictKind(conflict)} for {patientLabel}
      </h3>
      <PatientMark conflict={conflict} />
      <p className="muted">Found {formatDateTime(conflict.detectedAt)}</p>
      {withdrawn ? <WithdrawnChoices conflict={conflict} /> : <p>{conflictReasonText(conflict, !unseen || canCombine)}</p>}
      {unseen ? <UnseenHubCopy /> : null}
      {upstream ? <UpstreamTables conflict={conflict} /> : null}
      {(upstream ? [] : pairs).map((pair) => (
        <PairTable
          key={pair.key}
          pair={pair}
          unseen={pair.hub === null && unseenVersionOf(conflict, pair) !== null}
          combining={combining}
          choices={choices[pair.key] ?? {}}
          onChoose={(field, choice) => choose(pair.key, field, choice)}
        />
      ))}
      {combining ? <CombinedNotes resources={combinedResources(conflict.local, conflict.hub, choices)} /> : null}
      {upstream || combining || withdrawn ? null : <ChoiceEffects unseen={unseen} canCombine={canCombine} />}
      {failure !== null ? (
        <p role="alert" className="text-danger">
          {failure}
        </p>
      ) : null}
      <div className="actions">
        {combining ? (
          <>
            <Button
              className="button button--primary"
              isDisabled={busy}
              onPress={() =>
                settle(
                  {
                    conflictId: conflict.conflictId,
                    choice: 'combine',
                    resources: combinedResources(conflict.local, conflict.hub, choices),
                  },
                  'The combined version was saved here and will be sent to the hub.',
                )
              }
            >
              Send combined version
            </Button>
            <Button className="button" isDisabled={busy} onPress={() => setCombining(false)}>
              Cancel combining
            </Button>
          </>
        ) : withdrawn ? (
          <>
            {conflict.withdrawn.some((record) => record.canRecordAgain)
              ? settleButton(
                  'record-again',
                  'Record again as a new entry',
                  'Your value was recorded again as a new entry and will be sent to the hub; the entry marked in error stays withdrawn.',
                  'primary',
                )
              : null}
            {settleButton('keep-hub', 'Accept entered in error', 'The entry stays marked entered in error; your change was set aside.')}
          </>
        ) : upstream ? (
          <>
            {settleButton(
              'resend-local',
              'Send to the EHR anyway',
              'The documentation will be sent to the EHR; the hub records that you decided so.',
            )}
            {settleButton(
              'keep-hub',
              'Keep out of the EHR',
              "The documentation stays at the hub and is kept out of the EHR; the EHR's record stands.",
            )}
          </>
        ) : (
          <>
            {settleButton('keep-hub', 'Keep hub version', "The hub's version was kept; your version was set aside.")}
            {settleButton('resend-local', 'Keep my version', 'Your version will be sent to the hub again, on top of its version.')}
            {canCombine ? (
              <Button className="button button--secondary" isDisabled={busy} onPress={() => setCombining(true)}>
                Combine
              </Button>
            ) : null}
          </>
        )}
      </div>
    </section>
  );
}

/** What was documented here, then each record of the EHR that contradicts it, field by field. */
function UpstreamTables({ conflict }: { conflict: ConflictViewData }): React.JSX.Element {
  const tables = [
    ...conflict.local.map((resource) => ({ resource, caption: `${resourceName(String(resource.resourceType))} — documented here` })),
    ...conflict.hub.map((resource) => ({ resource, caption: `${resourceName(String(resource.resourceType))} — in the EHR` })),
  ];
  return (
    <>
      {tables.map(({ resource, caption }) => {
        const pair = { key: caption, resourceType: String(resource.resourceType), local: resource, hub: null };
        return (
          <table key={caption} className="table conflict__table">
            <caption>{caption}</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {fieldRows(pair).map((row) => (
                <tr key={row.field}>
                  <th scope="row">{row.label}</th>
                  <td>{rowText(row.field, resource[row.field])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        );
      })}
    </>
  );
}

/** What the combined version's notes will say: both versions' notes, a correction note following the chosen value. */
function CombinedNotes({ resources }: { resources: readonly Record<string, unknown>[] }): React.JSX.Element | null {
  const notes = resources.flatMap((resource) =>
    Array.isArray(resource.note) ? (resource.note as { text?: unknown }[]).map((note) => String(note.text ?? '')) : [],
  );
  if (notes.length === 0) return null;
  return (
    <section aria-label="Notes of the combined version">
      <h4>Notes of the combined version</h4>
      <p className="muted">The notes of both versions are kept; a correction note says the value you chose.</p>
      <ul>
        {notes.map((text, index) => (
          <li key={index}>{text}</li>
        ))}
      </ul>
    </section>
  );
}

/** "07 Dec 10:02" when the hub's version says when it last changed. */
function hubChangedText(hub: Record<string, unknown> | null): string {
  const meta = hub?.meta as { lastUpdated?: unknown } | undefined;
  return typeof meta?.lastUpdated === 'string' ? `; the hub's version last changed ${formatDateTime(meta.lastUpdated)}` : '';
}

function PairTable(props: {
  pair: ResourcePair;
  /** The hub holds a newer version it no longer shows this workstation (the patient left the ward). */
  unseen: boolean;
  combining: boolean;
  choices: Record<string, FieldChoice>;
  onChoose: (field: string, choice: FieldChoice) => void;
}): React.JSX.Element {
  const { pair, unseen, combining, choices, onChoose } = props;
  const hubCell = unseen ? 'Cannot be shown (the patient has left this ward)' : '(not on the hub)';
  const rows = shownRows(pair);
  const choosable = new Set(differingFields(pair));
  const differences = fieldRows(pair).filter((row) => row.differs).length;
  return (
    <table className="table conflict__table">
      <caption>
        {resourceName(pair.resourceType)}
        {pair.local === null
          ? ' — only on the hub'
          : pair.hub === null
            ? unseen
              ? " — the hub's version is newer and cannot be shown"
              : ' — not on the hub'
            : ` — ${differences === 0 ? 'no differences' : `${differences} difference${differences === 1 ? '' : 's'}`}${hubChangedText(pair.hub)}`}
      </caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Your version (this workstation)</th>
          <th scope="col">The hub&apos;s version</th>
          {combining ? <th scope="col">Use</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.field} className={row.differs && pair.hub !== null ? 'table__row--differs' : undefined}>
            <th scope="row">
              {row.label}
              {row.differs && pair.local !== null && pair.hub !== null ? <span className="text-warning"> (differs)</span> : null}
            </th>
            <td>{pair.local === null ? '(not documented here)' : rowText(row.field, pair.local[row.field])}</td>
            <td>{pair.hub === null ? hubCell : rowText(row.field, pair.hub[row.field])}</td>
            {combining ? (
              <td>
                {choosable.has(row.field) ? (
                  <ChoiceGroup
                    label={`Use which ${row.label.toLowerCase()}`}
                    labelHidden
                    choices={SOURCES}
                    value={choices[row.field] ?? 'mine'}
                    onChange={(choice) => onChoose(row.field, choice)}
                  />
                ) : (
                  <span className="muted">Same</span>
                )}
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
