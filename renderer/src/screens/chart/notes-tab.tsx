// The Notes tab: the patient's notes (chart:notes), newest first, a page at a time: the host sends
// only the page asked for, so a chart with years of notes opens as fast as a new one. Each note names
// its author, its time and its status; one written here says "Pending upload" until the hub holds it.
// A role that may document notes (shared/access) is offered "Write note". The first page reloads in
// place (a refresh, one chart-read per opening) each time the chart's refreshKey moves: after a save
// the new note shows at once, after a sync a colleague's note, and "Pending upload" goes once the hub
// holds a note written here. Older pages shown stay while the count of notes stays the same.
import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { NoteData } from '../../../../shared/contract/index.js';
import { call, hostApi } from '../../host-api.js';
import { formatDateTime } from '../../../../shared/display/index.js';
import { useChartRead } from './use-chart-read.js';
import { asHostError } from './use-host-call.js';

const PAGE = 20;

const STATUS_TEXT: Readonly<Record<string, string>> = {
  superseded: 'Superseded',
  'entered-in-error': 'Entered in error',
};

function NoteCard({ note }: { note: NoteData }): React.JSX.Element {
  const status = STATUS_TEXT[note.status] ?? (note.status === 'current' ? null : note.status);
  return (
    <article className="card note" aria-labelledby={`note-${note.id}`}>
      <h3 id={`note-${note.id}`}>{note.status === 'entered-in-error' ? <s>{note.title}</s> : note.title}</h3>
      <p className="note__meta">
        {formatDateTime(note.date)}
        {note.author === null ? '' : ` — ${note.author}`}{' '}
        {status === null ? null : <span className={`badge${note.status === 'entered-in-error' ? ' badge--alert' : ''}`}>{status}</span>}
        {note.pendingUpload ? <span className="badge badge--pending">Pending upload</span> : null}
      </p>
      <div className="note__text">{note.text}</div>
    </article>
  );
}

export function NotesTab(props: {
  patientId: string;
  /** Bumped after a sync or a save: the list reloads from its newest note. */
  refreshKey: number;
  /** Opens the note dialog; null for a role that may not document notes. */
  onWriteNote: (() => void) | null;
}): React.JSX.Element {
  const { patientId, refreshKey, onWriteNote } = props;
  const { loaded } = useChartRead(patientId, refreshKey, (refresh) =>
    call(hostApi().chart.notes({ patientId, offset: 0, limit: PAGE, refresh })),
  );
  // Older pages belong to one listing: a new note shifts every offset, so it starts a new listing.
  const listing = `${patientId}:${loaded.state === 'ready' ? loaded.value.total : ''}`;
  const [older, setOlder] = useState<{ listing: string; notes: NoteData[] }>({ listing, notes: [] });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const writeNote =
    onWriteNote === null ? null : (
      <div className="toolbar" role="group" aria-label="Notes actions">
        <Button className="button button--primary" onPress={onWriteNote}>
          Write note
        </Button>
      </div>
    );
  if (loaded.state === 'loading')
    return (
      <div className="stack notes">
        {writeNote}
        <p aria-live="polite">Loading notes…</p>
      </div>
    );
  if (loaded.state === 'failed')
    return (
      <div className="stack notes">
        {writeNote}
        <p role="alert" className="text-danger">
          {loaded.error.message}
        </p>
      </div>
    );
  const { total } = loaded.value;
  const notes = [...loaded.value.notes, ...(older.listing === listing ? older.notes : [])];
  const loadOlder = (): void => {
    setBusy(true);
    setError(null);
    call(hostApi().chart.notes({ patientId, offset: notes.length, limit: PAGE }))
      .then(
        (page) => setOlder((current) => ({ listing, notes: [...(current.listing === listing ? current.notes : []), ...page.notes] })),
        (failure: unknown) => setError(asHostError(failure).message),
      )
      .finally(() => setBusy(false));
  };
  return (
    <div className="stack notes">
      {writeNote}
      {total === 0 ? (
        <p>No notes for this patient.</p>
      ) : (
        <p>
          {total} note{total === 1 ? '' : 's'}, newest first.
        </p>
      )}
      {notes.map((note) => (
        <NoteCard key={note.id} note={note} />
      ))}
      {error === null ? null : (
        <p role="alert" className="text-danger">
          {error}
        </p>
      )}
      {notes.length < total ? (
        <Button className="button button--secondary" isDisabled={busy} onPress={loadOlder}>
          Show {Math.min(PAGE, total - notes.length)} older notes
        </Button>
      ) : null}
    </div>
  );
}
