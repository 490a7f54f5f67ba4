import type { Command } from 'commander';
import { oneLineErrors } from '../cli-args.js';
import type { CliContext } from '../cli-context.js';

/** `clawdbot usage [--json]`: today's model use per sender and session against the limits. */
export function registerUsageCommand(program: Command, context: CliContext): void {
  oneLineErrors(
    program
      .command('usage')
      .description("show today's model use per sender and session against the limits")
      .option('--json', 'print one JSON object')
      .action(async (options: { json?: boolean }) => {
        const { printUsage } = await import('./usage-actions.js');
        await printUsage(context, options.json === true);
      }),
  );
}
