import type { Command } from 'commander';
import { oneLineErrors } from '../cli-args.js';
import type { CliContext } from '../cli-context.js';

/** `clawdbot security audit [--json] [--fix]`: what in this setup widens the bot's reach. */
export function registerSecurityCommands(program: Command, context: CliContext): void {
  const security = oneLineErrors(
    program.command('security').description("audit this machine's Clawdbot setup"),
  );

  oneLineErrors(
    security
      .command('audit')
      .description(
        'list security findings (config, sandbox, file permissions, web mode); exits 1 while a high-severity one remains',
      )
      .option('--json', 'print {findings, changes?} as one JSON object')
      .option(
        '--fix',
        'apply only the safe fixes (private file permissions, log redaction on, open group policies to allowlist) and say what changed',
      )
      .action(async (options: { json?: boolean; fix?: boolean }) => {
        const { securityAudit } = await import('./security-actions.js');
        await securityAudit(context, { json: options.json === true, fix: options.fix === true });
      }),
  );
}
