// The ward census screen: a type-to-filter search box ("/" or Ctrl+K), the virtualised census
// grid (the columns the role may read), "Print ward MAR" and, for roles that may break the glass, opening an off-ward chart.
import { Suspense, useEffect, useEffectEvent, useMemo, useRef } from 'react';
import { Button, Input, Label, SearchField } from 'react-aria-components';
import type { CensusRowData, SessionViewData } from '../../../../shared/contract/index.js';
import { OffWardDialog, PrintMarButton } from '../../shell/lazy-screens.js';
import { may } from '../../shell/role-abilities.js';
import { useNow } from '../../shell/use-now.js';
import { searchCensus } from './census-filter.js';
import { CensusGrid, type CensusGridHandle } from './census-grid.js';
import { censusColumns } from './census-row.js';

export interface CensusScreenProps {
  readonly session: SessionViewData;
  readonly rows: readonly CensusRowData[] | null;
  readonly error: string | null;
  readonly onRetry: () => void;
  readonly query: string;
  readonly onQueryChange: (query: string) => void;
  readonly onOpen: (patientId: string) => void;
  /** Goes up by one each time "/" or Ctrl+K asks for the search box. */
  readonly searchRequest: number;
  /** The patient whose chart was just closed: their row gets the focus back. */
  readonly returnTo: string | null;
}

let censusMarked = false;

export function CensusScreen(props: CensusScreenProps): React.JSX.Element {
  const now = useNow(60_000);
  const search = useRef<HTMLInputElement>(null);
  const grid = useRef<CensusGridHandle>(null);
  // Best match first: an exact bed or MRN, then names, then other matches; each says why it matched.
  const matches = useMemo(() => (props.rows === null ? null : searchCensus(props.rows, props.query)), [props.rows, props.query]);
  const rows = useMemo(() => matches?.map((m) => m.row) ?? null, [matches]);
  const reasons = useMemo(() => new Map(matches?.map((m) => [m.row.patientId, m.reason]) ?? []), [matches]);
  const loaded = rows !== null;

  useEffect(() => {
    if (!loaded || censusMarked) return;
    censusMarked = true;
    performance.mark('wardline:census-shown');
  }, [loaded]);

  // Back from a chart: focus that patient's row; otherwise the search box. Only when the screen
  // opens or the list first arrives, not on every keystroke in the search.
  const returnTo = props.returnTo;
  const focusOnArrival = useEffectEvent(() => {
    const index = returnTo === null ? -1 : (rows?.findIndex((r) => r.patientId === returnTo) ?? -1);
    if (index >= 0) grid.current?.focusRow(index);
    else search.current?.focus();
  });
  useEffect(() => {
    if (loaded) focusOnArrival();
  }, [loaded]);

  useEffect(() => {
    if (props.searchRequest === 0) return;
    search.current?.focus();
    search.current?.select();
  }, [props.searchRequest]);

  const total = props.rows?.length ?? 0;
  const shown = rows?.length ?? 0;
  const canPrint = may(props.session.role, 'print');
  const canBreakGlass = may(props.session.role, 'btg:use');
  const columns = useMemo(() => censusColumns(props.session.role), [props.session.role]);

  return (
    <section className="census-screen" aria-labelledby="census-title">
      <div className="toolbar">
        <h1 id="census-title">Ward census</h1>
        <p className="toolbar__count" aria-live="polite">
          {rows === null ? 'Loading…' : props.query.trim() === '' ? `${total} patients` : `${shown} of ${total} patients`}
        </p>
        <SearchField
          className="search"
          value={props.query}
          onChange={props.onQueryChange}
          onSubmit={() => {
            const first = rows?.[0];
            if (first !== undefined) props.onOpen(first.patientId);
          }}
        >
          <Label>Find a patient</Label>
          <Input
            ref={search}
            placeholder="Name, bed or MRN"
            aria-keyshortcuts="/ Control+K"
            onKeyDown={(event) => {
              if (event.key === 'ArrowDown' && !event.altKey && shown > 0) {
                event.preventDefault();
                grid.current?.focusRow(0);
              }
            }}
          />
          <Button className="search__clear" aria-label="Clear the search">
            ×
          </Button>
        </SearchField>
        <div className="toolbar__actions">
          {canPrint ? (
            <Suspense
              fallback={
                <button type="button" className="button" disabled>
                  Print ward MAR
                </button>
              }
            >
              <PrintMarButton scope={{ ward: true }} label="Print ward MAR" />
            </Suspense>
          ) : null}
          {canBreakGlass ? (
            <Suspense fallback={null}>
              <OffWardDialog onOpened={props.onOpen} />
            </Suspense>
          ) : null}
        </div>
      </div>
      {props.error === null ? null : (
        <div className="message message--error" role="alert">
          <p>{props.error}</p>
          <button type="button" className="button" onClick={props.onRetry}>
            Try again
          </button>
        </div>
      )}
      {rows === null ? (
        props.error === null ? (
          <p className="muted" role="status">
            Loading the census…
          </p>
        ) : null
      ) : rows.length === 0 ? (
        <p className="message message--info" role="status">
          {total === 0 ? 'No patients are on this ward in the workstation’s copy.' : 'No patient matches the search.'}
        </p>
      ) : (
        <CensusGrid
          ref={grid}
          rows={rows}
          columns={columns}
          reasons={reasons}
          now={now}
          onOpen={props.onOpen}
          onLeaveTop={() => search.current?.focus()}
        />
      )}
    </section>
  );
}
