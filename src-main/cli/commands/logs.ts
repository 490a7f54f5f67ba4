import { Option, type Command } from 'commander';
import { LOG_LEVELS } from '../../../src-shared/config/logging-schema.js';
import { oneLineErrors } from '../cli-args.js';
import type { CliContext } from '../cli-context.js';
import type { LogsOptions } from './logs-actions.js';

/** `clawdbot logs`: print (and follow) the day-by-day log files. */
export function registerLogsCommand(program: Command, context: CliContext): void {
  oneLineErrors(
    program
      .command('logs')
      .description("print today's log lines (and earlier days' with --since)")
      .option('-f, --follow', 'keep printing lines as they are written, across midnight')
      .addOption(
        new Option('--level <level>', 'only lines at this level or above').choices(LOG_LEVELS),
      )
      .option('--since <time>', 'only lines from this time on: ISO time, or 10m, 2h, 1d ago')
      .option('--json', 'print the raw JSON lines')
      .action(async (options: LogsOptions) => {
        const { printLogs } = await import('./logs-actions.js');
        await printLogs(context, options);
      }),
  );
}
