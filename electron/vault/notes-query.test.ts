import { describe, expect, it } from 'vitest';
import type { Json } from './chart-format.js';
import type { ChartReads } from './chart-reads.js';
import { patientNotes } from './notes-query.js';

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** The reads the query uses, over notes given oldest first (undated first) as the vault orders them by effective time. */
function readsOf(notes: Json[]): ChartReads {
  const newestFirst = [...notes].reverse();
  return {
    newestOfPatient: (_patientId: string, type: string, offset: number, limit: number) =>
      type === 'DocumentReference' ? newestFirst.slice(offset, offset + limit) : [],
    countOfPatient: (_patientId: string, type: string) => (type === 'DocumentReference' ? notes.length : 0),
  } as unknown as ChartReads;
}

const ALL = { offset: 0, limit: 100 };

describe("a patient's notes", () => {
  it('come newest first (undated last) as their plain text, title and author', () => {
    const notes = patientNotes(
      readsOf([
        { id: 'n0', status: 'current', content: [{ attachment: { contentType: 'text/plain', data: base64('undated') } }] },
        {
          id: 'n1',
          meta: { versionId: '3', lastUpdated: '2026-01-14T08:00:05Z' },
          status: 'current',
          date: '2026-01-14T08:00:00Z',
          description: 'Nursing note: day',
          author: [{ reference: 'Practitioner/p1', display: 'Nurse A' }],
          content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: base64('Slept well. Ünïcode kept.') } }],
        },
        {
          id: 'n2',
          meta: { versionId: '1' },
          status: 'entered-in-error',
          date: '2026-01-15T08:00:00Z',
          type: { text: 'Progress note' },
          author: [{ reference: 'Practitioner/p2' }],
          content: [
            { attachment: { contentType: 'application/pdf', data: base64('%PDF') } },
            { attachment: { contentType: 'text/plain', data: base64('the text part'), title: 'Ward round' } },
          ],
        },
      ]),
      'p',
      ALL,
    );
    expect(notes.total).toBe(3);
    expect(notes.notes).toEqual([
      {
        id: 'n2',
        date: '2026-01-15T08:00:00Z',
        title: 'Ward round',
        author: 'Practitioner/p2',
        text: 'the text part',
        status: 'entered-in-error',
        pendingUpload: false,
      },
      {
        id: 'n1',
        date: '2026-01-14T08:00:00Z',
        title: 'Nursing note: day',
        author: 'Nurse A',
        text: 'Slept well. Ünïcode kept.',
        status: 'current',
        pendingUpload: false,
      },
      // Written on this workstation: no hub version yet.
      { id: 'n0', date: null, title: 'Note', author: null, text: 'undated', status: 'current', pendingUpload: true },
    ]);
  });

  it('give an empty text for a note that carries no plain text', () => {
    const [note] = patientNotes(
      readsOf([
        {
          id: 'n',
          status: 'current',
          date: '2026-01-15T08:00:00Z',
          content: [
            { attachment: { contentType: 'application/pdf', data: base64('%PDF') } },
            { attachment: { url: 'https://example.org/x' } },
          ],
        },
      ]),
      'p',
      ALL,
    ).notes;
    expect(note?.text).toBe('');
  });

  it('come a page at a time, with the count of all of them', () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ id: `n${i}`, status: 'current', date: `2026-01-1${i}T08:00:00Z`, content: [] }));
    const page = patientNotes(readsOf(many), 'p', { offset: 2, limit: 3 });
    expect(page.total).toBe(7);
    expect(page.notes.map((n) => n.id)).toEqual(['n4', 'n3', 'n2']);
  });
});
