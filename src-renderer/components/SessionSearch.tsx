import { useId, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { MAX_TRANSCRIPT_QUERY_LENGTH } from '../../src-shared/domain/transcript.js';
import type { SessionsStore } from '../state/sessions-store.js';
import { formatTime } from './format.js';

/** Longest excerpt of a hit shown in the results. */
const EXCERPT = 140;

/**
 * Full-text search over transcripts: within the open session, or all of them. A hit opens its
 * session at that event.
 */
export function SessionSearch({ store }: { store: SessionsStore }) {
  const search = useStore(store, (s) => s.search);
  const openKey = useStore(store, (s) => s.transcript?.key ?? null);
  const doSearch = useStore(store, (s) => s.searchFor);
  const clear = useStore(store, (s) => s.clearSearch);
  const jumpTo = useStore(store, (s) => s.jumpTo);
  const [query, setQuery] = useState('');
  const [all, setAll] = useState(false);
  const inputId = useId();
  // With no session open, the only scope is every session.
  const allSessions = all || openKey === null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = query.trim();
    if (text === '') clear();
    else void doSearch(text, allSessions);
  };

  return (
    <div className="session-search">
      <form role="search" className="session-search__form" onSubmit={submit}>
        <label htmlFor={inputId}>Search transcripts</label>
        <input
          id={inputId}
          type="search"
          value={query}
          maxLength={MAX_TRANSCRIPT_QUERY_LENGTH}
          placeholder="Words to find"
          data-testid="session-search-input"
          onChange={(e) => setQuery(e.target.value)}
        />
        <label className="session-search__scope">
          <input
            type="checkbox"
            checked={allSessions}
            disabled={openKey === null}
            data-testid="session-search-all"
            onChange={(e) => setAll(e.target.checked)}
          />{' '}
          All sessions
        </label>
        <button type="submit" data-testid="session-search-submit">
          Search
        </button>
      </form>
      {search.loading && <p className="muted">Searching…</p>}
      {search.error && (
        <p className="notice notice--error" role="alert" data-testid="session-search-error">
          Search failed: {search.error}
        </p>
      )}
      {search.results && !search.loading && (
        <div className="session-search__results" data-testid="session-search-results">
          <p className="muted" aria-live="polite">
            {search.results.length === 0
              ? `No events match “${search.query}”.`
              : `${search.results.length} match${search.results.length === 1 ? '' : 'es'}, newest first`}
            {' · '}
            <button type="button" className="session-link" onClick={clear}>
              Clear
            </button>
          </p>
          <ol>
            {search.results.map((hit) => (
              <li key={hit.id}>
                <button
                  type="button"
                  className="session-link session-search__hit"
                  data-testid="session-search-result"
                  data-event-id={hit.id}
                  data-session-key={hit.sessionKey}
                  onClick={() => void jumpTo(hit)}
                >
                  <code>{hit.sessionKey}</code> · {formatTime(hit.at)} · {hit.actor}:{' '}
                  {hit.text.length > EXCERPT ? `${hit.text.slice(0, EXCERPT - 1)}…` : hit.text}
                </button>
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}
