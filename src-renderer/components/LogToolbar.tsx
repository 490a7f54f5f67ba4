import { useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { LOG_LEVELS, type LogLevel } from '../../src-shared/config/logging-schema.js';
import type { LogsStore } from '../state/logs-store.js';
import { LogFilterChips, PressChip } from './LogFilterChips.js';
import { formatCount } from './format.js';

const PROCESSES = ['supervisor', 'gateway', 'cli'] as const;

/** Day, filters, search with its count and next/previous, jump to a time, follow. */
export function LogToolbar({ store }: { store: LogsStore }) {
  const filter = useStore(store, (s) => s.filter);
  const day = useStore(store, (s) => s.day);
  const days = useStore(store, (s) => s.days);
  const today = useStore(store, (s) => s.today);
  const shownDay = useStore(store, (s) => s.shownDay);
  const total = useStore(store, (s) => s.total);
  const complete = useStore(store, (s) => s.complete);
  const loaded = useStore(store, (s) => s.loaded);
  const follow = useStore(store, (s) => s.follow);
  const selected = useStore(store, (s) => s.selected?.position ?? null);
  const [text, setText] = useState(filter.text);
  const [scopes, setScopes] = useState(filter.scopes.join(', '));
  const [time, setTime] = useState('');
  const actions = store.getState();

  const search = (event: FormEvent): void => {
    event.preventDefault();
    actions.setFilter({ text: text.trim() });
  };
  const applyScopes = (): void => {
    const list = scopes
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (list.join(',') !== filter.scopes.join(',')) actions.setFilter({ scopes: list });
  };
  const jump = (event: FormEvent): void => {
    event.preventDefault();
    const on = shownDay ?? today;
    if (on && time) void actions.jumpToTime(`${on}T${time}`);
  };
  const what = filter.text ? 'matches' : 'lines';
  const count = loaded ? `${formatCount(total)}${complete ? '' : '+'} ${what}` : '…';

  return (
    <div className="log-toolbar">
      <label>
        Day{' '}
        <select
          value={day ?? ''}
          onChange={(event) => actions.setDay(event.target.value || null)}
          data-testid="log-day"
        >
          <option value="">Today{today ? ` (${today})` : ''}</option>
          {days
            .filter((d) => d.day !== today)
            .reverse()
            .map((d) => (
              <option key={d.day} value={d.day}>
                {d.day}
              </option>
            ))}
        </select>
      </label>
      <LogFilterChips
        label="Level"
        values={LOG_LEVELS}
        picked={filter.levels}
        onChange={(levels: LogLevel[]) => actions.setFilter({ levels })}
        testId="log-level"
      />
      <LogFilterChips
        label="Process"
        values={PROCESSES}
        picked={filter.processes.filter((p): p is (typeof PROCESSES)[number] =>
          (PROCESSES as readonly string[]).includes(p),
        )}
        onChange={(processes) => actions.setFilter({ processes })}
        testId="log-process"
      />
      <label>
        Scope{' '}
        <input
          value={scopes}
          placeholder="any"
          size={12}
          onChange={(e) => setScopes(e.target.value)}
          onBlur={applyScopes}
          onKeyDown={(e) => e.key === 'Enter' && applyScopes()}
          data-testid="log-scopes"
        />
      </label>
      <form onSubmit={search} className="log-toolbar__search" role="search">
        <input
          type="search"
          value={text}
          placeholder="Search (lowercase: any case)"
          onChange={(e) => setText(e.target.value)}
          data-testid="log-search"
        />
        <button type="submit">Search</button>
        <span className="log-toolbar__count" data-testid="log-count" aria-live="polite">
          {count}
        </span>
        <button
          type="button"
          aria-label="Previous"
          disabled={selected === null || selected <= 0}
          onClick={() => selected !== null && actions.select(selected - 1)}
          data-testid="log-prev"
        >
          ↑
        </button>
        <button
          type="button"
          aria-label="Next"
          disabled={total === 0}
          onClick={() => actions.select(selected === null ? 0 : selected + 1)}
          data-testid="log-next"
        >
          ↓
        </button>
      </form>
      <form onSubmit={jump} className="log-toolbar__jump">
        <input
          type="time"
          step={1}
          value={time}
          onChange={(e) => setTime(e.target.value)}
          aria-label="Time"
          data-testid="log-time"
        />
        <button type="submit" data-testid="log-jump">
          Go to time
        </button>
      </form>
      <PressChip
        on={follow}
        onPress={() => actions.setFollow(!follow)}
        testId="log-follow"
        className="log-follow"
      >
        Follow
      </PressChip>
    </div>
  );
}
