import { InvalidArgumentError } from 'commander';
import {
  MAX_TRANSCRIPT_PAGE,
  MAX_TRANSCRIPT_QUERY_LENGTH,
} from '../../src-shared/domain/transcript.js';

const MAX_KEY_LENGTH = 512;
// C0/C1 controls and bidi overrides: a key containing them is a paste accident or a trick.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Checks a session key typed on the command line (`main`, `dm:telegram:42`, …). */
export function parseSessionKey(value: string): string {
  const key = value.trim();
  if (key === '') throw new InvalidArgumentError('a session key must not be empty');
  if (key.length > MAX_KEY_LENGTH)
    throw new InvalidArgumentError(`a session key has at most ${MAX_KEY_LENGTH} characters`);
  if (UNPRINTABLE.test(key))
    throw new InvalidArgumentError('a session key must not contain control characters');
  return key;
}

/** Most events `show --limit` accepts: the last million is already more than a terminal wants. */
export const MAX_SHOW_LIMIT = 1_000_000;

/** A command-line whole number from 1 to `max`, or an error that says so. */
export function positiveInt(value: string, max: number): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max)
    throw new InvalidArgumentError(`expected a whole number from 1 to ${max}`);
  return n;
}

/** `show --limit N`: how many of the latest events to print. */
export function parseShowLimit(value: string): number {
  return positiveInt(value, MAX_SHOW_LIMIT);
}

/** `search --limit N`: how many matches to print. */
export function parseSearchLimit(value: string): number {
  return positiveInt(value, MAX_TRANSCRIPT_PAGE);
}

/** A search query: any text (FTS syntax is neutralised by the store), of bounded length. */
export function parseSearchQuery(value: string): string {
  const query = value.trim();
  if (query === '') throw new InvalidArgumentError('the search query must not be empty');
  if (query.length > MAX_TRANSCRIPT_QUERY_LENGTH)
    throw new InvalidArgumentError(
      `a search query has at most ${MAX_TRANSCRIPT_QUERY_LENGTH} characters`,
    );
  return query;
}
