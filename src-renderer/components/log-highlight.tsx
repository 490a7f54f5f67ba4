import type { ReactNode } from 'react';

/**
 * A log line's text with every match of the search term marked. The search's rule applies: a
 * lowercase term matches any case. Only text nodes and <mark> are made, so nothing in a log line
 * can become markup.
 */
export function highlightMatches(text: string, term: string): ReactNode {
  if (term === '') return text;
  const anyCase = term === term.toLowerCase();
  const haystack = anyCase ? text.toLowerCase() : text;
  const parts: ReactNode[] = [];
  let from = 0;
  for (let at = haystack.indexOf(term); at !== -1; at = haystack.indexOf(term, from)) {
    if (at > from) parts.push(text.slice(from, at));
    parts.push(
      <mark key={at} className="log-row__match" data-testid="log-match">
        {text.slice(at, at + term.length)}
      </mark>,
    );
    from = at + term.length;
  }
  if (parts.length === 0) return text;
  if (from < text.length) parts.push(text.slice(from));
  return parts;
}
