import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { TranscriptEvent } from '../../src-shared/domain/transcript.js';
import { indexOfEvent, transcriptRows } from '../state/transcript-window.js';
import { TranscriptRow } from './TranscriptRow.js';
import { useNow } from './use-now.js';

/** A guess at a row's height before it is measured: most rows are one or two lines. */
const ESTIMATED_ROW_PX = 56;
/** Load the next page this many rows before the edge, so scrolling rarely reaches a spinner. */
const EDGE_ROWS = 30;
/** Within this many px of the bottom counts as "at the bottom" (follow live events). */
const AT_END_PX = 48;

/**
 * The loaded window of a transcript, virtualised: only the rows on screen (plus a few) are in
 * the DOM, each measured as it renders, so 100,000 events scroll like 50. The virtualizer anchors
 * to the end: rows prepended by scrolling back leave the rows on screen where they were, and
 * appended live rows are followed only while the user sits at the bottom.
 *
 * Mounted afresh (keyed by the window's generation) for each open or search jump, so the start
 * position is decided once: the focused event, or the end.
 */
export function TranscriptList(props: {
  events: readonly TranscriptEvent[];
  focusId: number | null;
  reachedStart: boolean;
  reachedEnd: boolean;
  loading: boolean;
  label: string;
  onNeedOlder: () => void;
  onNeedNewer: () => void;
}) {
  const { events } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(() => new Set());
  // Edge loading waits until the start position is applied: before that the list sits at the top.
  const [positioned, setPositioned] = useState(false);
  const { rows, results, superseded } = useMemo(() => transcriptRows(events), [events]);
  // A search hit on a tool's result is shown on its call's row, where the result lives.
  const focusId = useMemo(() => {
    const id = props.focusId;
    if (id === null) return null;
    const hit = events[indexOfEvent(events, id)];
    const callId = hit?.kind === 'tool-result' ? hit.data?.['callId'] : undefined;
    if (typeof callId !== 'string' || !results.has(callId)) return id;
    return rows.find((e) => e.kind === 'tool-call' && e.data?.['callId'] === callId)?.id ?? id;
  }, [props.focusId, events, rows, results]);
  // "2 min ago" keeps moving while nothing happens; a coarse tick is enough.
  const now = useNow(10_000);

  // The virtualizer is mutable by design (it re-renders this component itself); the compiler
  // cannot memoise around it, and this component does not need it to.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    getItemKey: (index) => rows[index]!.id,
    overscan: 6,
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: AT_END_PX,
    // Start the first render at the end, so the first screen is the latest events.
    initialOffset: () => (focusId === null ? rows.length * ESTIMATED_ROW_PX : 0),
  });

  useLayoutEffect(() => {
    const index = focusId === null ? rows.length - 1 : indexOfEvent(rows, focusId);
    if (index >= 0) {
      virtualizer.scrollToIndex(index, { align: focusId === null ? 'end' : 'center' });
    }
    setPositioned(true);
    // Only on mount: later changes are prepends, appends and live rows, handled by anchoring.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index;
  const lastIndex = items.at(-1)?.index;
  const { onNeedOlder, onNeedNewer, reachedStart, reachedEnd, loading } = props;
  useEffect(() => {
    if (!positioned || loading || firstIndex === undefined || lastIndex === undefined) return;
    if (!reachedStart && firstIndex < EDGE_ROWS) onNeedOlder();
    else if (!reachedEnd && lastIndex > rows.length - EDGE_ROWS) onNeedNewer();
  }, [
    positioned,
    loading,
    firstIndex,
    lastIndex,
    reachedStart,
    reachedEnd,
    rows.length,
    onNeedOlder,
    onNeedNewer,
  ]);

  const toggle = useCallback((id: number) => {
    setExpanded((now) => {
      const next = new Set(now);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }, []);

  return (
    <div
      ref={scroller}
      className="transcript__scroller"
      data-testid="transcript-scroller"
      role="log"
      aria-label={props.label}
      // A scrollable region must be reachable by keyboard to be scrolled by keyboard.
      tabIndex={0}
    >
      <div
        className="transcript__canvas"
        role="list"
        style={{ height: `${virtualizer.getTotalSize()}px` }}
      >
        {items.map((item) => {
          const event = rows[item.index]!;
          const callId = event.kind === 'tool-call' ? event.data?.['callId'] : undefined;
          return (
            <div
              key={item.key}
              role="none"
              data-index={item.index}
              ref={virtualizer.measureElement}
              className="transcript__item"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <TranscriptRow
                event={event}
                result={typeof callId === 'string' ? results.get(callId) : undefined}
                superseded={typeof callId === 'string' && superseded.has(callId)}
                now={now}
                expanded={expanded.has(event.id)}
                focused={event.id === focusId}
                onToggle={toggle}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
