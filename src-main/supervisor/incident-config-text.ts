import { isDeepStrictEqual } from 'node:util';
import JSON5 from 'json5';
import type { SecurityPromptConfig } from '../../src-shared/config/agent-schema.js';

/** The edited config text, and whether the owner's comments and layout survived. */
export interface EditedConfigText {
  text: string;
  /** False when the file had to be rewritten as formatted JSON. */
  preserved: boolean;
}

/** Where one member of an object sits in the text. */
interface Member {
  keyStart: number;
  valueStart: number;
  valueEnd: number;
  quotedKey: boolean;
}

/**
 * Just enough of a JSON5 reader to find where values start and end, skipping comments and
 * strings, so one value can be replaced (or one member inserted) and everything else — comments
 * included — stays byte for byte. Anything it does not understand makes it give up (null), and
 * the caller falls back to rewriting the file.
 */
class Json5Spans {
  constructor(private readonly text: string) {}

  skipTrivia(pos: number): number {
    const t = this.text;
    for (;;) {
      while (pos < t.length && /\s|\uFEFF/.test(t[pos]!)) pos++;
      if (t.startsWith('//', pos)) {
        const end = t.indexOf('\n', pos);
        pos = end < 0 ? t.length : end + 1;
      } else if (t.startsWith('/*', pos)) {
        const end = t.indexOf('*/', pos + 2);
        if (end < 0) return t.length;
        pos = end + 2;
      } else return pos;
    }
  }

  private stringEnd(pos: number): number {
    const quote = this.text[pos];
    for (let i = pos + 1; i < this.text.length; i++) {
      if (this.text[i] === '\\') i++;
      else if (this.text[i] === quote) return i + 1;
    }
    return -1;
  }

  /** The end of the value starting at `pos`, or -1. */
  valueEnd(pos: number): number {
    const c = this.text[pos];
    if (c === '"' || c === "'") return this.stringEnd(pos);
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      let at = this.skipTrivia(pos + 1);
      while (at < this.text.length && this.text[at] !== close) {
        if (c === '{') {
          const key = this.keyEnd(at);
          if (key < 0) return -1;
          at = this.skipTrivia(key);
          if (this.text[at] !== ':') return -1;
          at = this.skipTrivia(at + 1);
        }
        const end = this.valueEnd(at);
        if (end < 0) return -1;
        at = this.skipTrivia(end);
        if (this.text[at] === ',') at = this.skipTrivia(at + 1);
        else if (this.text[at] !== close) return -1;
      }
      return at < this.text.length ? at + 1 : -1;
    }
    const match = /^[^,}\]\s/]+/.exec(this.text.slice(pos));
    return match ? pos + match[0].length : -1;
  }

  private keyEnd(pos: number): number {
    const c = this.text[pos];
    if (c === '"' || c === "'") return this.stringEnd(pos);
    const match = /^[A-Za-z_$][\w$]*/.exec(this.text.slice(pos));
    return match ? pos + match[0].length : -1;
  }

  /** The member `name` of the object whose `{` is at `open`. */
  member(open: number, name: string): Member | null {
    let at = this.skipTrivia(open + 1);
    while (at < this.text.length && this.text[at] !== '}') {
      const keyEnd = this.keyEnd(at);
      if (keyEnd < 0) return null;
      const raw = this.text.slice(at, keyEnd);
      const quotedKey = raw.startsWith('"') || raw.startsWith("'");
      const key = quotedKey ? JSON5.parse<string>(raw) : raw;
      let valueStart = this.skipTrivia(keyEnd);
      if (this.text[valueStart] !== ':') return null;
      valueStart = this.skipTrivia(valueStart + 1);
      const valueEnd = this.valueEnd(valueStart);
      if (valueEnd < 0) return null;
      if (key === name) return { keyStart: at, valueStart, valueEnd, quotedKey };
      at = this.skipTrivia(valueEnd);
      if (this.text[at] === ',') at = this.skipTrivia(at + 1);
    }
    return null;
  }

  /** The indentation of the line `pos` is on. */
  indentAt(pos: number): string {
    const lineStart = this.text.lastIndexOf('\n', pos - 1) + 1;
    return /^[ \t]*/.exec(this.text.slice(lineStart))?.[0] ?? '';
  }
}

function key(name: string, quoted: boolean): string {
  return quoted ? JSON.stringify(name) : name;
}

function promptLiteral(prompt: SecurityPromptConfig, quoted: boolean): string {
  return `{ ${key('mode', quoted)}: ${JSON.stringify(prompt.mode)}, ${key('text', quoted)}: ${JSON.stringify(prompt.text)} }`;
}

function insertAfterBrace(text: string, open: number, indent: string, member: string): string {
  return `${text.slice(0, open + 1)}\n${indent}${member},${text.slice(open + 1)}`;
}

/** The edit made in place, or null when the text is not shaped as expected. */
function editInPlace(text: string, prompt: SecurityPromptConfig): string | null {
  const spans = new Json5Spans(text);
  const root = spans.skipTrivia(0);
  if (text[root] !== '{') return null;
  const agent = spans.member(root, 'agent');
  // The owner's key style: quoted keys in a JSON-looking file, bare ones in JSON5.
  const quoted = agent?.quotedKey ?? /^\s*\{\s*["']/.test(text);
  if (!agent) {
    const member = `${key('agent', quoted)}: { ${key('securityPrompt', quoted)}: ${promptLiteral(prompt, quoted)} }`;
    return insertAfterBrace(text, root, '  ', member);
  }
  if (text[agent.valueStart] !== '{') return null;
  const existing = spans.member(agent.valueStart, 'securityPrompt');
  if (existing) {
    const literal = promptLiteral(prompt, existing.quotedKey);
    return `${text.slice(0, existing.valueStart)}${literal}${text.slice(existing.valueEnd)}`;
  }
  const indent = `${spans.indentAt(agent.keyStart)}  `;
  const member = `${key('securityPrompt', quoted)}: ${promptLiteral(prompt, quoted)}`;
  return insertAfterBrace(text, agent.valueStart, indent, member);
}

function withPrompt(root: unknown, prompt: SecurityPromptConfig): Record<string, unknown> {
  const copy = structuredClone(root ?? {}) as Record<string, unknown>;
  const agent = (copy['agent'] ?? {}) as Record<string, unknown>;
  copy['agent'] = { ...agent, securityPrompt: { mode: prompt.mode, text: prompt.text } };
  return copy;
}

/**
 * Sets `agent.securityPrompt` in JSON5 config text. Made in place when the result parses to
 * exactly the intended config (so nothing else can have changed); otherwise the file is
 * rewritten as formatted JSON with every key kept, and `preserved` says the comments went.
 * `text` null (no file yet) gives a new file holding only the prompt.
 */
export function setSecurityPromptText(
  text: string | null,
  prompt: SecurityPromptConfig,
): EditedConfigText {
  const blank = text === null || text.trim() === '';
  const original: unknown = blank ? {} : JSON5.parse(text);
  const expected = withPrompt(original, prompt);
  if (!blank) {
    const edited = editInPlace(text, prompt);
    try {
      if (edited !== null && isDeepStrictEqual(JSON5.parse(edited), expected)) {
        return { text: edited, preserved: true };
      }
    } catch {
      // The edit broke the file: fall through to the rewrite, which cannot.
    }
  }
  return { text: `${JSON.stringify(expected, null, 2)}\n`, preserved: blank };
}
