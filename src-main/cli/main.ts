import { Command, CommanderError } from 'commander';
import { AppError } from '../../src-shared/domain/app-error.js';
import { APP_VERSION } from '../version.js';
import { CliContext } from './cli-context.js';
import { CliError } from './cli-error.js';
import { registerAllowlistCommands } from './commands/allowlist.js';
import { registerConfigCommands } from './commands/config.js';
import { registerGatewayCommands } from './commands/gateway.js';
import { registerKillCommand } from './commands/kill.js';
import { registerPairingCommands } from './commands/pairing.js';
import { registerRearmCommand } from './commands/rearm.js';
import { registerStatusCommand } from './commands/status.js';
import { registerSuperviseCommand } from './commands/supervise.js';
import { registerWhatsAppCommand } from './commands/whatsapp.js';
import { registerSandboxCommands } from './commands/sandbox.js';
import { registerSecurityCommands } from './commands/security.js';
import { registerLogsCommand } from './commands/logs.js';
import { registerSessionsCommands } from './commands/sessions.js';
import { registerUsageCommand } from './commands/usage.js';
import { registerApprovalsCommand } from './commands/approvals.js';
import { registerStartCommand } from './commands/start.js';
import { registerWebUrlCommand } from './commands/web-url.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

/** The `clawdbot` program with every command registered, each working in `context`. */
export function createProgram(context: CliContext): Command {
  const program = new Command('clawdbot')
    .description('Clawdbot: a personal AI assistant gateway on a short leash')
    .version(APP_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerStatusCommand(program, context);
  registerKillCommand(program, context);
  registerRearmCommand(program, context);
  registerGatewayCommands(program, context);
  registerSuperviseCommand(program, context);
  registerStartCommand(program, context);
  registerWebUrlCommand(program, context);
  registerWhatsAppCommand(program, context);
  registerSandboxCommands(program, context);
  registerPairingCommands(program, context);
  registerAllowlistCommands(program, context);
  registerConfigCommands(program, context);
  registerSecurityCommands(program, context);
  registerLogsCommand(program, context);
  registerSessionsCommands(program, context);
  registerUsageCommand(program, context);
  registerApprovalsCommand(program, context);
  registerDoctorCommand(program, context);
  return program;
}

/**
 * Runs the CLI; resolves with the exit code. Every failure becomes one line on stderr. The
 * composition root of a `clawdbot` run: one context (state directory, config) for every command.
 */
export async function runCli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const context = new CliContext(env);
  const program = createProgram(context);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message (or the help, which exits 0).
      return error.exitCode;
    }
    const expected = error instanceof CliError || error instanceof AppError;
    // Logged (and redacted for the terminal too: an error may quote a token). Loaded only on
    // failure, so a command that succeeds never pays for reading the logging config.
    const { logCliFailure } = await import('../logging/cli-logging.js');
    const message = logCliFailure(
      context,
      argv.find((arg) => !arg.startsWith('-')),
      describeError(error),
      expected,
    );
    process.stderr.write(`clawdbot: ${message}\n`);
    return error instanceof CliError ? error.exitCode : 1;
  } finally {
    context.close();
  }
}
