import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  PAIRING_ALPHABET,
  PAIRING_CODE_LENGTH,
  PairingCodeSchema,
} from '../../src-shared/domain/access.js';
import { MESSAGING_PROVIDERS, type MessagingProvider } from '../../src-shared/domain/providers.js';

/** The options every access command shares. */
export interface ProviderOptions {
  provider?: MessagingProvider;
}

/**
 * `--provider <provider>`, restricted to the messaging providers so a typo fails at the boundary
 * with the allowed names, instead of as an empty list or a "not found" further in.
 */
export function providerOption(required: boolean): Option {
  const option = new Option(
    '--provider <provider>',
    required ? 'the messaging provider' : 'only this messaging provider',
  ).choices(MESSAGING_PROVIDERS);
  return required ? option.makeOptionMandatory() : option;
}

/** Parses a pairing code as typed (any case, surrounding spaces) into its canonical form. */
export function parsePairingCode(value: string): string {
  const parsed = PairingCodeSchema.safeParse(value);
  if (!parsed.success) {
    throw new InvalidArgumentError(
      `a pairing code is ${PAIRING_CODE_LENGTH} characters from ${PAIRING_ALPHABET} (any case), as the bot sent it`,
    );
  }
  return parsed.data;
}

const MAX_ID_LENGTH = 256;
// C0/C1 controls and bidi overrides: an id containing them is a paste accident or a trick.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Checks a DM sender or group id typed on the command line. */
export function parseAllowlistId(value: string): string {
  const id = value.trim();
  if (id === '') throw new InvalidArgumentError('an id must not be empty');
  if (id === '*') {
    throw new InvalidArgumentError(
      'a wildcard can only be set in the config file, together with dmPolicy "open"',
    );
  }
  if (id.length > MAX_ID_LENGTH)
    throw new InvalidArgumentError(`an id has at most ${MAX_ID_LENGTH} characters`);
  if (UNPRINTABLE.test(id))
    throw new InvalidArgumentError('an id must not contain control characters');
  return id;
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Makes commander's own usage errors (unknown provider, malformed code, missing argument) one
 * line in the same `clawdbot: <reason>` form as every other failure, pointing at the help
 * instead of printing it. Apply to a command after it is attached to its parent.
 */
export function oneLineErrors(command: Command): Command {
  const help = `clawdbot ${commandPath(command)} --help`;
  return command.showHelpAfterError(false).configureOutput({
    outputError: (text, write) =>
      write(
        `clawdbot: ${text
          .replace(/^error: /, '')
          .replace(/\s*\n\s*/g, ' ')
          .trim()} (see \`${help}\`)\n`,
      ),
  });
}
