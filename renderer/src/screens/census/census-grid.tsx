// The census as a keyboard-navigable grid of the columns the role is shown, virtualised
// (@tanstack/react-virtual) so a long ward list stays fast: ↑/↓, Page Up/Down, Home/End move between patients; Enter or a click opens
// the chart. aria-rowcount and aria-rowindex tell assistive technology the full size.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import type { CensusRowData } from '../../../../shared/contract/index.js';
import { CensusRow, type CensusColumn } from './census-row.js';

export const ROW_HEIGHT = 56;
/** In a narrow window (200 % zoom on a laptop) a row takes two lines, so nothing is cut off on the right. */
export const NARROW_ROW_HEIGHT = 104;
const NARROW = '(max-width: 71rem)';

function useNarrowWindow(): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW).matches);
  useEffect(() => {
    const query = window.matchMedia(NARROW);
    const changed = (): void => setNarrow(query.matches);
    query.addEventListener('change', changed);
    return () => query.removeEventListener('change', changed);
  }, []);
  return narrow;
}
const PAGE = 8;

export interface CensusGridHandle {
  /** Moves keyboard focus to the row at `index` (scrolling it into view). */
  focusRow(index: number): void;
}

export interface CensusGridProps {
  readonly rows: readonly CensusRowData[];
  /** The columns the signed-in role is shown (censusColumns). */
  readonly columns: readonly CensusColumn[];
  /** Why each row matched the search, by patient id ("exact bed", "name"); empty without a search. */
  readonly reasons?: ReadonlyMap<string, string>;
  readonly now: number;
  readonly onOpen: (patientId: string) => void;
  /** Called when ↑ is pressed on the first row (focus goes back to the search box). */
  readonly onLeaveTop: () => void;
  /** The census screen's handle on the grid (React 19: a ref is an ordinary prop). */
  readonly ref?: Ref<CensusGridHandle>;
}

export function CensusGrid(props: CensusGridProps): React.JSX.Element {
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const pendingFocus = useRef<number | null>(null);
  const count = props.rows.length;
  const rowHeight = useNarrowWindow() ? NARROW_ROW_HEIGHT : ROW_HEIGHT;

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 6,
  });
  useEffect(() => virtualizer.measure(), [rowHeight, virtualizer]);

  const focusRow = (index: number): void => {
    if (count === 0) return;
    const target = Math.max(0, Math.min(count - 1, index));
    setActive(target);
    pendingFocus.current = target;
    virtualizer.scrollToIndex(target, { align: 'auto' });
    // The row may render on the next frame: focus it once it exists.
    requestAnimationFrame(() => {
      const element = scroller.current?.querySelector<HTMLElement>(`[data-index="${target}"]`);
      if (element !== null && element !== undefined) {
        element.focus({ preventScroll: false });
        pendingFocus.current = null;
      }
    });
  };

  useImperativeHandle(props.ref, () => ({ focusRow }));

  useEffect(() => {
    if (active >= count && count > 0) setActive(count - 1);
  }, [active, count]);

  useEffect(() => {
    const wanted = pendingFocus.current;
    if (wanted === null) return;
    const element = scroller.current?.querySelector<HTMLElement>(`[data-index="${wanted}"]`);
    if (element !== null && element !== undefined) {
      element.focus();
      pendingFocus.current = null;
    }
  });

  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>, index: number): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const row = props.rows[index];
    switch (event.key) {
      case 'ArrowDown':
        focusRow(index + 1);
        break;
      case 'ArrowUp':
        if (index === 0) props.onLeaveTop();
        else focusRow(index - 1);
        break;
      case 'PageDown':
        focusRow(index + PAGE);
        break;
      case 'PageUp':
        focusRow(index - PAGE);
        break;
      case 'Home':
        focusRow(0);
        break;
      case 'End':
        focusRow(count - 1);
        break;
      case 'Enter':
      case ' ':
        if (row !== undefined) props.onOpen(row.patientId);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  const items = virtualizer.getVirtualItems();
  // One row is always reachable with Tab: the active one, or the first on screen when it scrolled away.
  const tabbable = items.some((item) => item.index === active) ? active : (items[0]?.index ?? 0);

  return (
    <div
      role="grid"
      aria-label="Ward census"
      aria-rowcount={count + 1}
      aria-colcount={props.columns.length}
      className="census"
      style={{ '--census-columns': props.columns.map((column) => column.width).join(' ') } as React.CSSProperties}
    >
      <div role="rowgroup" className="census__head">
        <div role="row" aria-rowindex={1} className="census__row census__row--head">
          {props.columns.map((column) => (
            <span key={column.id} role="columnheader" className={column.cell}>
              {column.name}
            </span>
          ))}
        </div>
      </div>
      <div ref={scroller} role="rowgroup" className="census__body">
        <div role="presentation" className="census__spacer" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = props.rows[item.index];
            if (row === undefined) return null;
            return (
              <CensusRow
                key={row.patientId}
                row={row}
                columns={props.columns}
                matchReason={props.reasons?.get(row.patientId) ?? ''}
                index={item.index}
                now={props.now}
                isActive={item.index === tabbable}
                top={item.start}
                height={rowHeight}
                onOpen={props.onOpen}
                onKeyDown={onKeyDown}
                onFocusRow={setActive}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
