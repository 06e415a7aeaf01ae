// A patient's notes (DocumentReference), newest first: title, author, date, status, whether the hub
// holds it yet (a note written here has no hub version until its upload is answered), and the plain
// text of the first text/plain attachment (base64 data decoded as UTF-8; empty when the note
// carries no plain text, e.g. only a PDF or a link).
import { array, conceptText, isObject, text, type Json } from './chart-format.js';
import type { ChartReads } from './chart-reads.js';
import type { NoteEntry } from './chart-types.js';

function plainTextOf(note: Json): string {
  for (const content of array(note.content)) {
    const attachment = isObject(content.attachment) ? content.attachment : undefined;
    if (attachment === undefined || typeof attachment.data !== 'string') continue;
    const contentType = (text(attachment.contentType) ?? 'text/plain').toLowerCase();
    if (!contentType.startsWith('text/plain')) continue;
    return Buffer.from(attachment.data, 'base64').toString('utf8');
  }
  return '';
}

function titleOf(note: Json): string {
  const attachment = array(note.content)
    .map((content) => (isObject(content.attachment) ? content.attachment : {}))
    .find((a) => text(a.title) !== null);
  return text(note.description) ?? text(attachment?.title) ?? conceptText(note.type) ?? 'Note';
}

function authorOf(note: Json): string | null {
  const author = array(note.author)[0];
  return author === undefined ? null : (text(author.display) ?? text(author.reference));
}

export function noteEntry(note: Json): NoteEntry {
  return {
    id: String(note.id),
    date: text(note.date),
    title: titleOf(note),
    author: authorOf(note),
    text: plainTextOf(note),
    status: text(note.status) ?? 'unknown',
    pendingUpload: !isObject(note.meta) || text(note.meta.versionId) === null,
  };
}

/** Which notes to read: `limit` of them after skipping the `offset` newest. */
export interface NotesPage {
  readonly offset: number;
  readonly limit: number;
}

/** One page of the patient's notes, newest first (undated last), and how many there are in all. */
export function patientNotes(reads: ChartReads, patientId: string, page: NotesPage): NotesPageEntries {
  return {
    notes: reads.newestOfPatient(patientId, 'DocumentReference', page.offset, page.limit).map(noteEntry),
    total: reads.countOfPatient(patientId, 'DocumentReference'),
  };
}

export interface NotesPageEntries {
  readonly notes: NoteEntry[];
  readonly total: number;
}
