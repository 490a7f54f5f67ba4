/** A command the sender typed instead of (or before) a message for the model. */
export type ChatCommand =
  /** `/new` or `/reset`: start a fresh conversation (the transcript keeps the old one). */
  | { kind: 'new'; rest: string; addressedTo?: string }
  /** `/elevated on|off` alone: for the session; with text after it: for that message only. */
  | { kind: 'elevated'; on: boolean; rest: string; addressedTo?: string }
  | { kind: 'none' };

/**
 * Recognises the commands at the start of a message. Only the start counts, so quoting a
 * command in the middle of a sentence does nothing. `addressedTo` is the bot a Telegram command
 * names (`/new@some_bot`), which in a group may be another bot.
 */
export function parseChatCommand(text: string): ChatCommand {
  const trimmed = text.trimStart();
  const reset = /^\/(?:new|reset)(?:@(\S+))?(?:\s+([\s\S]*))?$/i.exec(trimmed);
  if (reset) return { kind: 'new', rest: (reset[2] ?? '').trim(), ...addressed(reset[1]) };
  const elevated = /^\/elevated(?:@(\S+))?\s+(on|off)\b(?:\s+([\s\S]*))?$/i.exec(trimmed);
  if (elevated) {
    return {
      kind: 'elevated',
      on: elevated[2]!.toLowerCase() === 'on',
      rest: (elevated[3] ?? '').trim(),
      ...addressed(elevated[1]),
    };
  }
  return { kind: 'none' };
}

function addressed(bot: string | undefined): { addressedTo?: string } {
  return bot ? { addressedTo: bot } : {};
}

/**
 * Whether a group may take this message as a command without a mention: a bare `/new`,
 * `/reset` or `/elevated off`, which only start afresh or lower power and carry nothing for the
 * model, and not addressed to another bot by name. `/elevated on` and anything with text after
 * the command still need a mention, like every other message.
 */
export function isUnmentionedGroupCommand(text: string): boolean {
  const command = parseChatCommand(text);
  switch (command.kind) {
    case 'new':
      return command.rest === '' && command.addressedTo === undefined;
    case 'elevated':
      return !command.on && command.rest === '' && command.addressedTo === undefined;
    case 'none':
      return false;
  }
}

/**
 * Whether a message is the owner deciding something (`/approve …`, `/pair …`): such messages
 * are handled beside the chat's turn in progress, never behind it, since that turn may be the
 * one waiting for the decision.
 */
export function isDecisionCommand(text: string): boolean {
  return /^\s*\/(?:approve|pair)(?:@\S+)?\s/i.test(text);
}
