/** One piece of a command as the approval dialog shows it. */
export interface CommandPiece {
  /** `text`: shown as is; `hidden`: an invisible or control character made visible; `lookalike`: a non-ASCII character that can pass for ASCII. */
  kind: 'text' | 'hidden' | 'lookalike';
  /** What to show. */
  text: string;
  /** For hidden and look-alike characters: what it really is, e.g. `U+200B zero-width space`. */
  title?: string;
}

// ANSI escape sequences (CSI, OSC and two-character escapes): a terminal would act on them.
const ANSI =
  // eslint-disable-next-line no-control-regex
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]/g;

const NAMES: Record<number, string> = {
  0x200b: 'zero-width space',
  0x200c: 'zero-width non-joiner',
  0x200d: 'zero-width joiner',
  0x2060: 'word joiner',
  0xfeff: 'zero-width no-break space',
  0x00ad: 'soft hyphen',
  0x202a: 'left-to-right embedding',
  0x202b: 'right-to-left embedding',
  0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override',
  0x202e: 'right-to-left override',
  0x2066: 'left-to-right isolate',
  0x2067: 'right-to-left isolate',
  0x2068: 'first strong isolate',
  0x2069: 'pop directional isolate',
  0x200e: 'left-to-right mark',
  0x200f: 'right-to-left mark',
  0x061c: 'arabic letter mark',
  0x00a0: 'no-break space',
  0x3000: 'ideographic space',
};

/** Characters that render as nothing (or move others): always shown as their code point. */
function isHidden(code: number): boolean {
  return (
    (code < 0x20 && code !== 0x0a && code !== 0x09) ||
    (code >= 0x7f && code <= 0x9f) ||
    code in NAMES ||
    (code >= 0x2000 && code <= 0x200f) ||
    (code >= 0x2028 && code <= 0x202f) ||
    (code >= 0x205f && code <= 0x206f) ||
    (code >= 0xfe00 && code <= 0xfe0f) ||
    (code >= 0xe0000 && code <= 0xe007f)
  );
}

/** Letters and signs from other scripts that look like ASCII (Cyrillic, Greek, fullwidth forms…). */
function isLookalike(code: number): boolean {
  return (
    code > 0x7f &&
    ((code >= 0x0370 && code <= 0x03ff) || // Greek
      (code >= 0x0400 && code <= 0x04ff) || // Cyrillic
      (code >= 0x0500 && code <= 0x052f) ||
      (code >= 0xff01 && code <= 0xff5e) || // fullwidth ASCII
      (code >= 0x2010 && code <= 0x2015) || // dashes
      (code >= 0x2018 && code <= 0x201f) || // curly quotes
      code === 0x2044 ||
      code === 0x2215 ||
      code === 0x29f8 ||
      (code >= 0x1d400 && code <= 0x1d7ff) || // mathematical letters
      (code >= 0x0250 && code <= 0x02af) || // IPA
      code === 0x0131 ||
      code === 0x0261)
  );
}

const hex = (code: number): string => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/** A command with ANSI escapes removed: what the dialog shows and what the owner decides on. */
export function stripAnsi(command: string): string {
  return command.replace(ANSI, '');
}

/**
 * A command cut into pieces for display: ANSI escapes stripped, invisible characters (zero-width,
 * bidi overrides, control characters) replaced by a visible `⟨U+…⟩` marker, and characters of
 * other scripts that pass for ASCII marked, so what the owner reads is what will run.
 */
export function revealCommand(command: string): CommandPiece[] {
  const pieces: CommandPiece[] = [];
  let plain = '';
  const flush = (): void => {
    if (plain) pieces.push({ kind: 'text', text: plain });
    plain = '';
  };
  if (command !== stripAnsi(command)) {
    pieces.push({
      kind: 'hidden',
      text: '⟨ANSI escapes removed⟩',
      title: 'terminal escape sequences were stripped',
    });
  }
  for (const char of stripAnsi(command)) {
    const code = char.codePointAt(0)!;
    if (isHidden(code)) {
      flush();
      pieces.push({
        kind: 'hidden',
        text: `⟨${hex(code)}⟩`,
        title: `${hex(code)} ${NAMES[code] ?? 'invisible or control character'}`,
      });
    } else if (isLookalike(code)) {
      flush();
      pieces.push({
        kind: 'lookalike',
        text: char,
        title: `${hex(code)}: not the ASCII character it looks like`,
      });
    } else {
      plain += char;
    }
  }
  flush();
  return pieces;
}

/** Whether a command holds anything {@link revealCommand} marks: the dialog warns in words too. */
export function hasHiddenOrLookalike(command: string): boolean {
  return revealCommand(command).some((piece) => piece.kind !== 'text');
}

/** The command as one line of plain text with every hidden character shown (chat messages, CLI). */
export function revealedText(command: string): string {
  return revealCommand(command)
    .map((piece) =>
      piece.kind === 'lookalike' ? `${piece.text}⟨${piece.title?.split(':')[0]}⟩` : piece.text,
    )
    .join('');
}
