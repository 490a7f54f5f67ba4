/** A command the sender typed instead of (or before) a message for the model. */
export type ChatCommand =
  /** `/new` or `/reset`: start a fresh conversation (the transcript keeps the old one). */
  | { kind: 'new'; rest: string }
  /** `/elevated on|off` alone: for the session; with text after it: for that message only. */
  | { kind: 'elevated'; on: boolean; rest: string }
  | { kind: 'none' };

/**
 * Recognises the commands at the start of a message. Only the start counts, so quoting a
 * command in the middle of a sentence does nothing.
 */
export function parseChatCommand(text: string): ChatCommand {
  const trimmed = text.trimStart();
  const reset = /^\/(new|reset)(?:@\S+)?(?:\s+([\s\S]*))?$/i.exec(trimmed);
  if (reset) return { kind: 'new', rest: (reset[2] ?? '').trim() };
  const elevated = /^\/elevated(?:@\S+)?\s+(on|off)\b(?:\s+([\s\S]*))?$/i.exec(trimmed);
  if (elevated) {
    return {
      kind: 'elevated',
      on: elevated[1]!.toLowerCase() === 'on',
      rest: (elevated[2] ?? '').trim(),
    };
  }
  return { kind: 'none' };
}
