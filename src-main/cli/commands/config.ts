import { resolve } from 'node:path';
import type { Command } from 'commander';
import { oneLineErrors } from '../cli-args.js';
import type { CliContext } from '../cli-context.js';

/** `clawdbot config validate|schema`: check the config file, or print its JSON Schema. */
export function registerConfigCommands(program: Command, context: CliContext): void {
  const config = oneLineErrors(
    program.command('config').description('check the config file or print its JSON Schema'),
  );

  oneLineErrors(
    config
      .command('validate')
      .description('check the config file; exits non-zero listing every error')
      .option('--file <path>', 'the file to check (default: the config file in use)')
      .action(async (options: { file?: string }) => {
        const { validateConfigFile } = await import('./config-actions.js');
        validateConfigFile(options.file === undefined ? context.configPath : resolve(options.file));
      }),
  );

  oneLineErrors(
    config
      .command('schema')
      .description("print the config file's JSON Schema (for editor completion)")
      .action(async () => {
        const { printConfigSchema } = await import('./config-actions.js');
        printConfigSchema();
      }),
  );
}
