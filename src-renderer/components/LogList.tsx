import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { highlightMatches } from './log-highlight.js';
import { LOG_PAGE, type LogLine, type LogsStore } from '../state/logs-store.js';

/** Fixed row height: lets the list place any of a million rows without measuring them. */
const ROW_PX = 20;

function lineText(line: LogLine): string {
  if (line.malformed) return line.raw;
  const time = line.time?.slice(11, 23) ?? '';
  return `${time} ${(line.level ?? '?').padEnd(5)} ${line.process ?? '?'}/${line.scope ?? '?'} ${line.msg ?? ''}`;
}

/**
 * The day's lines, virtualised: only the rows on screen exist, and only their pages are
 * fetched from the supervisor, so a 1,000,000-line file scrolls like a short one.
 */
export function LogList({ store }: { store: LogsStore }) {
  const total = useStore(store, (s) => s.total);
  const pages = useStore(store, (s) => s.pages);
  const selected = useStore(store, (s) => s.selected?.position ?? null);
  const scrollTo = useStore(store, (s) => s.scrollTo);
  const follow = useStore(store, (s) => s.follow);
  const term = useStore(store, (s) => s.filter.text);
  const parent = useRef<HTMLDivElement>(null);
  // The virtualizer is used as TanStack documents it; the React Compiler just skips this component.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => parent.current,
    estimateSize: () => ROW_PX,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;

  useEffect(() => {
    store.getState().ensureRange(first, last);
  }, [store, first, last, pages, total]);

  useEffect(() => {
    if (scrollTo) virtualizer.scrollToIndex(scrollTo.position, { align: scrollTo.align });
  }, [scrollTo, virtualizer]);

  return (
    <div
      ref={parent}
      className="log-list"
      data-testid="log-list"
      tabIndex={0}
      onKeyDown={(event) => {
        if (selected === null) return;
        if (event.key === 'ArrowDown') store.getState().select(selected + 1);
        if (event.key === 'ArrowUp') store.getState().select(selected - 1);
      }}
      onWheel={() => {
        // Scrolling back through the file stops following, as in a terminal.
        if (follow) store.getState().setFollow(false);
      }}
    >
      <div className="log-list__space" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const line = pages.get(Math.floor(item.index / LOG_PAGE))?.[item.index % LOG_PAGE];
          return (
            <div
              key={item.key}
              className={`log-row${line ? ` log-row--${line.malformed ? 'malformed' : (line.level ?? 'none')}` : ''}${item.index === selected ? ' log-row--selected' : ''}`}
              style={{ transform: `translateY(${item.start}px)`, height: ROW_PX }}
              data-testid="log-row"
              data-position={item.index}
              data-line={line?.line}
              onClick={() => store.getState().select(item.index)}
            >
              {line ? (
                <>
                  <span className="log-row__no">{line.line + 1}</span>{' '}
                  {highlightMatches(lineText(line), term)}
                </>
              ) : (
                <span className="log-row__loading">…</span>
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
