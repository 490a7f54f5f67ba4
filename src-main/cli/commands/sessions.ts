import { Argument, Option, type Command } from 'commander';
import { oneLineErrors } from '../cli-args.js';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import {
  parseSearchLimit,
  parseSearchQuery,
  parseSessionKey,
  parseShowLimit,
} from '../sessions-args.js';

const DEFAULT_SEARCH_LIMIT = 50;

const keyArgument = (): Argument =>
  new Argument('<key>', 'the session key, as `clawdbot sessions list` shows it').argParser(
    parseSessionKey,
  );

/**
 * `clawdbot sessions list|show|search|export`: the stored transcripts. They only read the
 * shared database (in WAL mode, so a running gateway is never held up) and work with or without
 * a gateway; `show --follow` prints what a running gateway stores as it happens.
 */
export function registerSessionsCommands(program: Command, context: CliContext): void {
  const sessions = oneLineErrors(
    program.command('sessions').description('list, read, search and export session transcripts'),
  );

  oneLineErrors(
    sessions
      .command('list')
      .description('show every session, most recently active first')
      .option('--json', 'print the sessions as a JSON array')
      .action(async (options: { json?: boolean }) => {
        const { listSessions } = await import('./sessions-actions.js');
        await listSessions(context, options.json === true);
      }),
  );

  oneLineErrors(
    sessions
      .command('show')
      .description('print a session transcript: messages, tool calls and results, decisions')
      .addArgument(keyArgument())
      .addOption(new Option('--limit <n>', 'only the latest n events').argParser(parseShowLimit))
      .option('--follow', 'keep printing new events as they are stored, until Ctrl-C')
      .option('--json', 'print one JSON object per event and line')
      .action(
        async (key: string, options: { limit?: number; follow?: boolean; json?: boolean }) => {
          const { showSession } = await import('./sessions-actions.js');
          await showSession(context, key, {
            json: options.json === true,
            follow: options.follow === true,
            ...(options.limit === undefined ? {} : { limit: options.limit }),
          });
        },
      ),
  );

  oneLineErrors(
    sessions
      .command('search')
      .description('find events by words (case-insensitive, word prefixes), newest first')
      .addArgument(new Argument('<query>', 'the words to look for').argParser(parseSearchQuery))
      .addOption(new Option('--key <key>', 'only in this session').argParser(parseSessionKey))
      .addOption(
        new Option('--limit <n>', 'at most n matches')
          .argParser(parseSearchLimit)
          .default(DEFAULT_SEARCH_LIMIT),
      )
      .option('--json', 'print one JSON object per event and line')
      .action(async (query: string, options: { key?: string; limit: number; json?: boolean }) => {
        const { searchSessions } = await import('./sessions-actions.js');
        await searchSessions(context, query, {
          ...(options.key === undefined ? {} : { key: options.key }),
          limit: options.limit,
          json: options.json === true,
        });
      }),
  );

  oneLineErrors(
    sessions
      .command('export')
      .description('write every event of a session, oldest first')
      .addArgument(keyArgument())
      .option('--jsonl', 'one JSON object per event and line (required: the only format for now)')
      .action(async (key: string, options: { jsonl?: boolean }) => {
        if (options.jsonl !== true) {
          throw new CliError(
            'export needs --jsonl (one JSON object per event and line), the only format for now',
          );
        }
        const { exportSession } = await import('./sessions-actions.js');
        await exportSession(context, key);
      }),
  );
}
