import { describe, expect, it } from 'vitest';
import type { Json } from './chart-format.js';
import type { ChartReads } from './chart-reads.js';
import { patientNotes } from './notes-query.js';

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** The reads the query uses: a patient's DocumentReferences, oldest first (undated first), as the vault orders them. */
function readsOf(notes: Json[]): ChartReads {
  return { ofPatient: (_patientId: string, type: string) => (type === 'DocumentReference' ? notes : []) } as unknown as ChartReads;
}

describe('a patient\'s notes', () => {
  it('come newest first (undated last) as their plain text, title and author', () => {
    const notes = patientNotes(readsOf([
      { id: 'n0', status: 'current', content: [{ attachment: { contentType: 'text/plain', data: base64('undated') } }] },
      { id: 'n1', status: 'current', date: '2026-01-14T08:00:00Z', description: 'Nursing note: day', author: [{ reference: 'Practitioner/p1', display: 'Nurse A' }],
        content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: base64('Slept well. Ünïcode kept.') } }] },
      { id: 'n2', status: 'entered-in-error', date: '2026-01-15T08:00:00Z', type: { text: 'Progress note' }, author: [{ reference: 'Practitioner/p2' }],
        content: [{ attachment: { contentType: 'application/pdf', data: base64('%PDF') } }, { attachment: { contentType: 'text/plain', data: base64('the text part'), title: 'Ward round' } }] },
    ]), 'p');
    expect(notes).toEqual([
      { id: 'n2', date: '2026-01-15T08:00:00Z', title: 'Ward round', author: 'Practitioner/p2', text: 'the text part', status: 'entered-in-error' },
      { id: 'n1', date: '2026-01-14T08:00:00Z', title: 'Nursing note: day', author: 'Nurse A', text: 'Slept well. Ünïcode kept.', status: 'current' },
      { id: 'n0', date: null, title: 'Note', author: null, text: 'undated', status: 'current' },
    ]);
  });

  it('give an empty text for a note that carries no plain text', () => {
    const [note] = patientNotes(readsOf([{ id: 'n', status: 'current', date: '2026-01-15T08:00:00Z', content: [{ attachment: { contentType: 'application/pdf', data: base64('%PDF') } }, { attachment: { url: 'https://example.org/x' } }] }]), 'p');
    expect(note?.text).toBe('');
  });
});
