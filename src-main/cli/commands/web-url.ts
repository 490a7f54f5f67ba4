import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { callSupervisor, liveSupervisor } from '../control-client.js';
import { withCliStore } from '../open-store.js';

/**
 * `clawdbot web-url`: the running supervisor's web UI address, with its token, for when the
 * tab was closed or the page was opened without it. Asked over the control socket, which only
 * the owner of the state directory can reach.
 */
export function registerWebUrlCommand(program: Command, context: CliContext): void {
  program
    .command('web-url')
    .description("print the running supervisor's web UI address (with its sign-in token)")
    .action(() =>
      withCliStore(context, async ({ runtime }) => {
        const supervisor = liveSupervisor(runtime);
        if (!supervisor) {
          throw new CliError(
            'no supervisor is running: start one with `npm start` or `clawdbot supervise --web`, which print the address',
          );
        }
        const { url } = await callSupervisor(supervisor.socketPath, 'web:url', {});
        if (url === null) {
          throw new CliError(
            `the running supervisor (pid ${supervisor.pid}) serves no web UI (it is the desktop app, or \`clawdbot supervise\` without --web): use its window, or stop it and run \`clawdbot supervise --web\``,
          );
        }
        process.stdout.write(`${url}\n`);
      }),
    );
}
