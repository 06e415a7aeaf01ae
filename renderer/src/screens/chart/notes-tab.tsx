// The Notes tab: the patient's notes (chart:notes), newest first, a page at a time: the host sends
// only the page asked for, so a chart with years of notes opens as fast as a new one.
import { useState } from 'react';
import { Button } from 'react-aria-components';
import type { NoteData } from '../../../../shared/contract/index.js';
import { call, hostApi } from '../../host-api.js';
import { formatDateTime } from '../../../../shared/display/index.js';
import { asHostError, useHostCall } from './use-host-call.js';

const PAGE = 20;

function NoteCard({ note }: { note: NoteData }): React.JSX.Element {
  return (
    <article className="card note" aria-labelledby={`note-${note.id}`}>
      <h3 id={`note-${note.id}`}>{note.title}</h3>
      <p className="note__meta">
        {formatDateTime(note.date)}
        {note.author === null ? '' : ` — ${note.author}`}
        {note.status === 'current' ? '' : ` (${note.status})`}
      </p>
      <div className="note__text">{note.text}</div>
    </article>
  );
}

export function NotesTab({ patientId }: { patientId: string }): React.JSX.Element {
  const { loaded } = useHostCall(patientId, () => call(hostApi().chart.notes({ patientId, offset: 0, limit: PAGE })));
  const [older, setOlder] = useState<{ patientId: string; notes: NoteData[] }>({ patientId, notes: [] });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (loaded.state === 'loading') return <p aria-live="polite">Loading notes…</p>;
  if (loaded.state === 'failed')
    return (
      <p role="alert" className="text-danger">
        {loaded.error.message}
      </p>
    );
  const { total } = loaded.value;
  const notes = [...loaded.value.notes, ...(older.patientId === patientId ? older.notes : [])];
  if (total === 0) return <p>No notes for this patient.</p>;
  const loadOlder = (): void => {
    setBusy(true);
    setError(null);
    call(hostApi().chart.notes({ patientId, offset: notes.length, limit: PAGE }))
      .then(
        (page) => setOlder((current) => ({ patientId, notes: [...(current.patientId === patientId ? current.notes : []), ...page.notes] })),
        (failure: unknown) => setError(asHostError(failure).message),
      )
      .finally(() => setBusy(false));
  };
  return (
    <div className="stack notes">
      <p>
        {total} note{total === 1 ? '' : 's'}, newest first.
      </p>
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
