import { Argument, type Command } from 'commander';
import type { MessagingProvider } from '../../../src-shared/domain/providers.js';
import {
  oneLineErrors,
  parseAllowlistId,
  providerOption,
  type ProviderOptions,
} from '../cli-args.js';
import type { CliContext } from '../cli-context.js';

interface ChangeOptions {
  provider: MessagingProvider;
  group?: boolean;
}

/**
 * `clawdbot allowlist list|add|remove`: the approved allowlists in the shared database, shown
 * merged with the config file's entries (which are edited in the file, not here).
 */
export function registerAllowlistCommands(program: Command, context: CliContext): void {
  const allowlist = oneLineErrors(
    program.command('allowlist').description('review and change who may reach the bot'),
  );

  oneLineErrors(
    allowlist
      .command('list')
      .description('show DM and group allowlist entries, from the config file and approved')
      .addOption(providerOption(false))
      .option('--json', 'print the overview as JSON')
      .action(async (options: ProviderOptions & { json?: boolean }) => {
        const { listAllowlists } = await import('./allowlist-actions.js');
        await listAllowlists(context, options.provider, options.json === true);
      }),
  );

  for (const action of ['add', 'remove'] as const) {
    oneLineErrors(
      allowlist
        .command(action)
        .description(
          action === 'add'
            ? 'approve a DM sender (or with --group, a group) by id'
            : 'remove an approved DM sender (or with --group, a group)',
        )
        .addOption(providerOption(true))
        .option('--group', 'the id is a group, not a DM sender')
        .addArgument(
          new Argument('<id>', 'sender or group id as the provider names it').argParser(
            parseAllowlistId,
          ),
        )
        .action(async (id: string, options: ChangeOptions) => {
          const { changeAllowlist } = await import('./allowlist-actions.js');
          await changeAllowlist(
            context,
            action,
            options.provider,
            options.group ? 'group' : 'dm',
            id,
          );
        }),
    );
  }
}
