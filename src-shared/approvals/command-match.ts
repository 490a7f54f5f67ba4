import type { AllowEntry, CommandWhere } from '../config/approvals-schema.js';

/**
 * Interpreters given code inline (`bash -c`, `python -c`, `node -e`, `eval`, `| sh`): the code
 * they run is an argument, so a prefix or a pattern says nothing about what runs.
 */
const INLINE_INTERPRETER = new RegExp(
  [
    // A shell, an interpreter or an env/exec wrapper followed (anywhere later) by -c / -e / --eval.
    String.raw`(^|[\s;&|(\x60$])(?:[\w./-]*/)?(?:ba|da|z|k|c|tc|fi|a)?sh\b[^;&|]*\s-[A-Za-z]*c`,
    String.raw`(^|[\s;&|(\x60$])(?:[\w./-]*/)?(?:python[\d.]*|perl|ruby|php|lua|Rscript|osascript)\b[^;&|]*\s-[A-Za-z]*[ce]\b`,
    String.raw`(^|[\s;&|(\x60$])(?:[\w./-]*/)?(?:node|nodejs|deno|bun)\b[^;&|]*\s(?:-[A-Za-z]*[ep]\b|--eval|--print)`,
    String.raw`(^|[\s;&|(\x60$])(?:eval|source|\.)\s`,
    // Anything piped into a shell or an interpreter.
    String.raw`\|\s*(?:[\w./-]*/)?(?:env\s+)?(?:ba|da|z|k|c|tc|fi|a)?sh\b`,
    String.raw`\|\s*(?:[\w./-]*/)?(?:env\s+)?(?:python[\d.]*|perl|ruby|php|node|lua)\b`,
  ].join('|'),
);

/** Shell control operators, substitutions and redirects: a command made of more than one. */
const COMPOUND = /[;&|`\n\r<>]|\$\(|\$\{/;

/** Whether a command passes code to an interpreter inline: such commands match exact entries only. */
export function passesCodeInline(command: string): boolean {
  return INLINE_INTERPRETER.test(command);
}

/**
 * Whether one allowlist entry lets this command run here. `exact` compares the whole text;
 * `prefix` and `regex` approve one simple command only: never one that passes code to an
 * interpreter inline, never one with control operators, substitutions or redirects (so `ls`
 * as a prefix never lets `ls; rm -rf ~` through). A regex must match the whole command.
 */
export function entryMatches(entry: AllowEntry, command: string, where: CommandWhere): boolean {
  if (entry.where !== where) return false;
  switch (entry.match) {
    case 'exact':
      return entry.command === command;
    case 'prefix':
      if (passesCodeInline(command) || COMPOUND.test(command)) return false;
      return command === entry.command || command.startsWith(`${entry.command.trimEnd()} `);
    case 'regex': {
      if (passesCodeInline(command) || COMPOUND.test(command)) return false;
      try {
        return new RegExp(`^(?:${entry.command})$`, 'u').test(command);
      } catch {
        // The schema refuses bad patterns; one that slipped through approves nothing.
        return false;
      }
    }
    default: {
      const unreachable: never = entry.match;
      throw new Error(`unknown match ${String(unreachable)}`);
    }
  }
}

/** The first allowlist entry that lets this command run here, or null (ask, or deny). */
export function allowlistMatch(
  allowlist: readonly AllowEntry[],
  command: string,
  where: CommandWhere,
): AllowEntry | null {
  return allowlist.find((entry) => entryMatches(entry, command, where)) ?? null;
}

/**
 * Why an allowlist entry is broad enough to worry about, or null: what `security audit` flags.
 * A prefix or regex naming a shell or interpreter, a regex that matches (nearly) anything.
 */
export function broadEntryReason(entry: AllowEntry): string | null {
  if (entry.match === 'exact') return null;
  const head = entry.command.trim().split(/\s+/)[0] ?? '';
  const interpreter =
    /^(?:[\w./-]*\/)?(?:(?:ba|da|z|k|c|tc|fi|a)?sh|python[\d.]*|perl|ruby|php|node|nodejs|deno|bun|lua|sudo|env|xargs|eval|exec|find|awk|sed)$/;
  if (entry.match === 'prefix') {
    if (entry.command.trim() === '') return 'an empty prefix matches every command';
    return interpreter.test(head)
      ? `the prefix "${entry.command}" lets any arguments through to ${head}, which can run arbitrary code`
      : null;
  }
  let everything = false;
  try {
    const re = new RegExp(`^(?:${entry.command})$`, 'u');
    everything = ['', 'rm -rf ~', 'curl http://example.com', 'x'].every((sample) =>
      re.test(sample),
    );
  } catch {
    return 'the pattern is not a valid regular expression';
  }
  if (everything) return `the pattern /${entry.command}/ matches every command`;
  const lead = entry.command.replace(/^\^/, '').split(/[\s\\]/)[0] ?? '';
  return interpreter.test(lead)
    ? `the pattern /${entry.command}/ lets ${lead} run with any arguments`
    : null;
}
