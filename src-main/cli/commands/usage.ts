import type { Command } from 'commander';
import { oneLineErrors } from '../cli-args.js';

/** `clawdbot usage [--json]`: today's model use per sender and session against the limits. */
export function registerUsageCommand(program: Command): void {
  oneLineErrors(
    program
      .command('usage')
      .description("show today's model use per sender and session against the limits")
      .option('--json', 'print one JSON object')
      .action(async (options: { json?: boolean }) => {
        const { printUsage } = await import('./usage-actions.js');
        await printUsage(options.json === true);
      }),
  );
}
