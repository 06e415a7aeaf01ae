// The Notes tab: the patient's notes (chart:notes), newest first, 20 at a time.
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { call, hostApi } from '../../host-api.js';
import { formatDateTime } from './chart-time.js';
import { useHostCall } from './use-host-call.js';

const PAGE = 20;

export function NotesTab({ patientId }: { patientId: string }): React.JSX.Element {
  const { loaded } = useHostCall(patientId, () => call(hostApi().chart.notes({ patientId })));
  const [shown, setShown] = useState(PAGE);
  if (loaded.state === 'loading') return <p aria-live="polite">Loading notes…</p>;
  if (loaded.state === 'failed') return <p role="alert" className="wl-error">{loaded.error.message}</p>;
  const notes = loaded.value;
  if (notes.length === 0) return <p>No notes for this patient.</p>;
  return (
    <div className="wl-notes">
      <p>{notes.length} note{notes.length === 1 ? '' : 's'}, newest first.</p>
      {notes.slice(0, shown).map((note) => (
        <article key={note.id} className="wl-card wl-note" aria-labelledby={`note-${note.id}`}>
          <h3 id={`note-${note.id}`}>{note.title}</h3>
          <p className="wl-note__meta">
            {formatDateTime(note.date)}{note.author === null ? '' : ` — ${note.author}`}{note.status === 'current' ? '' : ` (${note.status})`}
          </p>
          <div className="wl-note__text">{note.text}</div>
        </article>
      ))}
      {shown < notes.length ? (
        <Button className="wl-button" onPress={() => setShown((n) => n + PAGE)}>Show {Math.min(PAGE, notes.length - shown)} older notes</Button>
      ) : null}
    </div>
  );
}
