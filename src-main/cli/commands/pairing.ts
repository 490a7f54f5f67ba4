import { Argument, type Command } from 'commander';
import type { MessagingProvider } from '../../../src-shared/domain/providers.js';
import {
  oneLineErrors,
  parsePairingCode,
  providerOption,
  type ProviderOptions,
} from '../cli-args.js';
import type { CliContext } from '../cli-context.js';

const codeArgument = (): Argument =>
  new Argument('<code>', 'the pairing code the bot sent them (any case)').argParser(
    parsePairingCode,
  );

/**
 * `clawdbot pairing list|approve|reject`: the seed's commands for answering strangers' pairing
 * requests. They write the shared database directly, so they work with or without a running
 * gateway; a running one notices within its poll interval.
 */
export function registerPairingCommands(program: Command, context: CliContext): void {
  const pairing = oneLineErrors(
    program.command('pairing').description('list, approve or reject pending pairing requests'),
  );

  oneLineErrors(
    pairing
      .command('list')
      .description('show pending pairing requests')
      .addOption(providerOption(false))
      .option('--json', 'print the requests as a JSON array')
      .action(async (options: ProviderOptions & { json?: boolean }) => {
        const { listPairingRequests } = await import('./pairing-actions.js');
        await listPairingRequests(context, options.provider, options.json === true);
      }),
  );

  oneLineErrors(
    pairing
      .command('approve')
      .description('let the sender of a pending request talk to the bot, in a session of their own')
      .addOption(providerOption(true))
      .addArgument(codeArgument())
      .option('--notify', 'have the gateway tell them they were approved')
      .action(async (code: string, options: { provider: MessagingProvider; notify?: boolean }) => {
        const { approvePairing } = await import('./pairing-actions.js');
        await approvePairing(context, options.provider, code, options.notify === true);
      }),
  );

  oneLineErrors(
    pairing
      .command('reject')
      .description('refuse a pending request; the sender can only ask again after an hour')
      .addOption(providerOption(true))
      .addArgument(codeArgument())
      .action(async (code: string, options: { provider: MessagingProvider }) => {
        const { rejectPairing } = await import('./pairing-actions.js');
        await rejectPairing(context, options.provider, code);
      }),
  );
}
