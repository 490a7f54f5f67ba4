import type { Command } from 'commander';
import { oneLineErrors } from '../cli-args.js';
import type { CliContext } from '../cli-context.js';

/** `clawdbot doctor [--fix] [--json]`: what is wrong with this set-up, and the fix for each. */
export function registerDoctorCommand(program: Command, context: CliContext): void {
  oneLineErrors(
    program
      .command('doctor')
      .description(
        'check this set-up (Node, Docker, sandbox image, state directory, config, logs, Telegram, WhatsApp, model, limits, database) and name the fix for each problem; exits 1 while one remains',
      )
      .option('--json', 'print {checks, checkedAt, changes?} as one JSON object')
      .option(
        '--fix',
        'apply the safe fixes first (private file modes, pending migrations, building a missing sandbox image with its progress); nothing that widens access',
      )
      .action(async (options: { json?: boolean; fix?: boolean }) => {
        const { doctor } = await import('./doctor-actions.js');
        await doctor(context, { json: options.json === true, fix: options.fix === true });
      }),
  );
}
