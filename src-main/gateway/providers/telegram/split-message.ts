/** Telegram's limit on one text message, in UTF-16 code units (what its entity offsets count). */
export const TELEGRAM_MAX_MESSAGE_LENGTH = 4096;

/** The smallest limit `splitMessage` accepts: room for a fence to be closed and reopened. */
export const MIN_SPLIT_LIMIT = 64;

// A fence line: up to three spaces, then 3–16 backticks or tildes, then an info string (never a
// backtick after backticks, as in CommonMark). Longer runs are text: repairing them would not fit.
const FENCE_OPEN = /^ {0,3}(`{3,16}|~{3,16})([^`]*)$/;

interface Fence {
  /** The backticks or tildes that open it; a closing line needs at least as many. */
  marker: string;
  /** The opening line as written (`` ```ts ``), repeated at the top of a continuation part. */
  opener: string;
  /** Offset of the opening line. */
  start: number;
  /** Offset of the newline ending the opening line: cuts inside the block come after it. */
  openerEnd: number;
  /** Offset of the closing line, or the end of the text for a block left open. */
  closerStart: number;
  /** Offset just past the closing line. */
  end: number;
}

interface Cut {
  head: string;
  rest: string;
}

/**
 * Splits a reply into parts Telegram accepts (at most `limit` characters each), cutting at a
 * paragraph or line break where it can, else between words, and only mid-word for a "word"
 * longer than half a message. Fenced code blocks (```` ``` ```` / `~~~`) are kept whole when they
 * fit in one message; a longer block is cut at a line break inside it, closed at the end of one
 * part and reopened (with its language) at the top of the next, so each part renders as code.
 * Blank text yields no parts.
 */
export function splitMessage(text: string, limit = TELEGRAM_MAX_MESSAGE_LENGTH): string[] {
  if (!Number.isInteger(limit) || limit < MIN_SPLIT_LIMIT) {
    throw new RangeError(`split limit must be an integer ≥ ${MIN_SPLIT_LIMIT}, got ${limit}`);
  }
  const parts: string[] = [];
  let body = text;
  while (body.length > limit && body.trim() !== '') {
    const { head, rest } = cutOnce(body, limit);
    if (head.trim() !== '') parts.push(head);
    body = rest;
  }
  if (body.trim() !== '') parts.push(body);
  return parts;
}

/** One cut of a text longer than `limit`: the first part, and what is left (fence reopened). */
function cutOnce(body: string, limit: number): Cut {
  const fences = scanFences(body, limit);
  const half = Math.floor(limit / 2);
  const fenceAt = (p: number): Fence | undefined =>
    fences.find((f) => p > f.openerEnd && p <= f.closerStart);
  const closeFits = (p: number, f: Fence): boolean => p + 1 + f.marker.length <= limit;
  // A cut before the first visible character would make an empty part.
  const firstContent = body.search(/\S/);

  // Every line break within reach, sorted by position (later is better: fuller parts).
  const breaks: number[] = [];
  for (let p = body.indexOf('\n'); p !== -1 && p <= limit; p = body.indexOf('\n', p + 1)) {
    if (p > firstContent) breaks.push(p);
  }
  const outside = breaks.filter((p) => !fenceAt(p) && !fences.some((f) => p === f.openerEnd));
  const inside = (oversizedOnly: boolean) =>
    breaks.filter((p) => {
      const f = fenceAt(p);
      return f !== undefined && closeFits(p, f) && (!oversizedOnly || f.end - f.start > limit);
    });
  const spaces = proseSpaces(body, limit, fences).filter((p) => p > firstContent);
  const paragraph = outside.filter((p) => body[p + 1] === '\n' || body[p - 1] === '\n');

  const pick =
    last(paragraph.filter((p) => p >= half)) ??
    last(outside.filter((p) => p >= half)) ??
    last(inside(true).filter((p) => p >= half));
  if (pick !== undefined) return cutAt(body, pick, fenceAt(pick), 1);
  const space = last(spaces.filter((p) => p >= half));
  if (space !== undefined) return cutAt(body, space, undefined, 1);
  const fallback = last(outside) ?? last(spaces) ?? last(inside(false));
  if (fallback !== undefined) return cutAt(body, fallback, fenceAt(fallback), 1);

  // One unbroken run longer than a message: cut it, but never between a surrogate pair.
  let p = limit;
  let fence = fenceAt(p);
  if (fence && !closeFits(p, fence)) p = limit - 1 - fence.marker.length;
  if (isHighSurrogate(body.charCodeAt(p - 1))) p -= 1;
  fence = fenceAt(p);
  return cutAt(body, p, fence, 0);
}

/** Cuts at `p`, dropping `skip` separator characters; inside a fence, closes and reopens it. */
function cutAt(body: string, p: number, fence: Fence | undefined, skip: number): Cut {
  if (fence) {
    return {
      head: `${body.slice(0, p)}\n${fence.marker}`,
      rest: `${fence.opener}\n${body.slice(p + skip)}`,
    };
  }
  return {
    head: body.slice(0, p).trimEnd(),
    // Blank lines or spaces at the top of a message are noise; a first line's indentation is not.
    rest: body.slice(p + skip).replace(/^[ \t]*(\r?\n[ \t]*)*(?=\S|$)/, leadingIndent),
  };
}

/** Keeps the indentation of the first non-blank line, drops what comes before it. */
function leadingIndent(match: string): string {
  const lastBreak = match.lastIndexOf('\n');
  return lastBreak === -1 ? '' : match.slice(lastBreak + 1);
}

/**
 * The fenced blocks that start within reach of the cut, each followed to its closing line (or
 * far enough to know it is longer than one message).
 */
function scanFences(body: string, limit: number): Fence[] {
  const fences: Fence[] = [];
  let open: Omit<Fence, 'closerStart' | 'end'> | null = null;
  let lineStart = 0;
  while (lineStart <= body.length) {
    const newline = body.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? body.length : newline;
    const line = body.slice(lineStart, lineEnd).replace(/\r$/, '');
    if (open) {
      if (isCloser(line, open.marker)) {
        fences.push({ ...open, closerStart: lineStart, end: lineEnd });
        open = null;
      } else if (lineStart - open.start > limit) {
        // Longer than a message already: where exactly it ends does not matter for this cut.
        fences.push({ ...open, closerStart: body.length, end: body.length });
        open = null;
        break;
      }
    } else {
      if (lineStart > limit) break;
      const match = FENCE_OPEN.exec(line);
      if (match?.[1]) {
        open = { marker: match[1], opener: line.trim(), start: lineStart, openerEnd: lineEnd };
      }
    }
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  if (open) fences.push({ ...open, closerStart: body.length, end: body.length });
  return fences;
}

function isCloser(line: string, marker: string): boolean {
  const trimmed = line.trim();
  return (
    line.length - line.trimStart().length <= 3 &&
    trimmed.length >= marker.length &&
    [...trimmed].every((c) => c === marker[0])
  );
}

/** Spaces and tabs outside code blocks within reach: places to cut between words. */
function proseSpaces(body: string, limit: number, fences: Fence[]): number[] {
  const spaces: number[] = [];
  for (let p = 1; p <= limit && p < body.length; p++) {
    const c = body[p];
    if (c !== ' ' && c !== '\t') continue;
    if (!fences.some((f) => p >= f.start && p <= f.end)) spaces.push(p);
  }
  return spaces;
}

function last(values: number[]): number | undefined {
  return values[values.length - 1];
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
