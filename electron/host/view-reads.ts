// Which chart-read a view's refresh has already recorded. A screen the user keeps open reloads on
// every sync:changed and after each local write; the window says such a load is a refresh of the
// view it opened, and the host then records no new chart-read for a patient it already recorded in
// that opening, in this session. The window is not trusted to decide more: a refresh that shows a
// patient not recorded in the opening (another chart, a new conflict's patient), a new session, or
// a load not called a refresh is recorded as ever, so a compromised window can only spare the trail
// the entries a legitimate refresh spares it (docs/AUDIT.md).
export interface ViewReads {
  /**
   * Whether this load of `view` showing `patientId` needs its chart-read. `single`: the view shows
   * one patient (a refresh for another patient starts a new opening).
   */
  needsEntry(sessionId: string, view: string, patientId: string, refresh: boolean, single: boolean): boolean;
  /** Forgets the view's opening: its chart-read was not committed, so the next load records one. */
  forget(view: string): void;
}

/**
 * One load of a single-patient view: `read` is told whether to record its chart-read and commits
 * it before it returns the data; if it throws (the entry could not be committed), the opening is
 * forgotten, so a refresh after it is recorded as a new opening: no view without an entry.
 */
export function readView<T>(
  views: ViewReads,
  at: { readonly sessionId: string; readonly view: string; readonly patientId: string; readonly refresh: boolean | undefined },
  read: (record: boolean) => T,
): T {
  const record = views.needsEntry(at.sessionId, at.view, at.patientId, at.refresh === true, true);
  try {
    return read(record);
  } catch (error) {
    if (record) views.forget(at.view);
    throw error;
  }
}

export function createViewReads(): ViewReads {
  const openings = new Map<string, { sessionId: string; patients: Set<string> }>();
  return {
    needsEntry(sessionId, view, patientId, refresh, single) {
      const opening = openings.get(view);
      if (refresh && opening?.sessionId === sessionId) {
        if (opening.patients.has(patientId)) return false;
        if (!single) {
          opening.patients.add(patientId);
          return true;
        }
      }
      if (!refresh || opening?.sessionId !== sessionId || single) openings.set(view, { sessionId, patients: new Set([patientId]) });
      return true;
    },
    forget(view) {
      openings.delete(view);
    },
  };
}
