import type { Command } from 'commander';
import { USAGE_RETENTION_DAYS } from '../../../src-shared/domain/usage-history.js';
import { oneLineErrors } from '../cli-args.js';
import type { CliContext } from '../cli-context.js';
import { positiveInt } from '../sessions-args.js';

/**
 * `clawdbot usage [--days N] [--json]`: today's model use per sender and session against the
 * limits, or (`--days`) the last N local days per day, sender and session.
 */
export function registerUsageCommand(program: Command, context: CliContext): void {
  oneLineErrors(
    program
      .command('usage')
      .description("show today's model use per sender and session against the limits")
      .option(
        '--days <n>',
        `the last n local days (1 to ${USAGE_RETENTION_DAYS}, today included), per day, sender and session`,
        (value: string) => positiveInt(value, USAGE_RETENTION_DAYS),
      )
      .option('--json', 'print one JSON object')
      .action(async (options: { days?: number; json?: boolean }) => {
        const { printUsage, printUsageHistory } = await import('./usage-actions.js');
        if (options.days === undefined) await printUsage(context, options.json === true);
        else await printUsageHistory(context, options.days, options.json === true);
      }),
  );
}
