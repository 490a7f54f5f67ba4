/** Longest one-line summary shown beside a collapsed tool call. */
export const MAX_SUMMARY = 120;

/** Argument names that say best what a call does, in order of preference. */
const TELLING_ARGS = ['command', 'cmd', 'path', 'file', 'url', 'query', 'pattern', 'name'];

/**
 * One line saying what a tool call does (`ls -la`, `notes/todo.md`), from its arguments: the most
 * telling string argument, else the arguments as compact JSON. Cut to {@link MAX_SUMMARY}, with
 * line breaks folded, so a collapsed row always stays one line.
 */
export function toolSummary(args: unknown): string {
  let text = '';
  if (args !== null && typeof args === 'object' && !Array.isArray(args)) {
    const record = args as Record<string, unknown>;
    const telling = TELLING_ARGS.map((name) => record[name]).find((v) => typeof v === 'string');
    text = typeof telling === 'string' ? telling : compactJson(args);
  } else if (typeof args === 'string') {
    text = args;
  } else if (args !== undefined) {
    text = compactJson(args);
  }
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_SUMMARY ? `${line.slice(0, MAX_SUMMARY - 1)}…` : line;
}

function compactJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    // A cycle or a BigInt: the stored arguments are JSON, so only a caller's bug gets here.
    return '(unprintable arguments)';
  }
}

/** A tool call's arguments in full, for the expanded row. */
export function formatArgs(args: unknown): string {
  if (args === undefined) return '(no arguments)';
  if (typeof args === 'string') return args;
  try {
    return JSON.stringify(args, null, 2) ?? '(no arguments)';
  } catch {
    return '(unprintable arguments)';
  }
}
