import { Command, CommanderError } from 'commander';
import { AppError } from '../../src-shared/domain/app-error.js';
import { APP_VERSION } from '../version.js';
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
import { registerSessionsCommands } from './commands/sessions.js';

/** The `clawdbot` program with every command registered. */
export function createProgram(): Command {
  const program = new Command('clawdbot')
    .description('Clawdbot: a personal AI assistant gateway on a short leash')
    .version(APP_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerStatusCommand(program);
  registerKillCommand(program);
  registerRearmCommand(program);
  registerGatewayCommands(program);
  registerSuperviseCommand(program);
  registerWhatsAppCommand(program);
  registerSandboxCommands(program);
  registerPairingCommands(program);
  registerAllowlistCommands(program);
  registerConfigCommands(program);
  registerSessionsCommands(program);
  return program;
}

/** Runs the CLI; resolves with the exit code. Every failure becomes one line on stderr. */
export async function runCli(argv: string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message (or the help, which exits 0).
      return error.exitCode;
    }
    if (error instanceof CliError) {
      process.stderr.write(`clawdbot: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof AppError) {
      process.stderr.write(`clawdbot: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`clawdbot: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
