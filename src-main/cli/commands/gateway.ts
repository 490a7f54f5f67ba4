import type { Command } from 'commander';
import type { GatewayStatus } from '../../../src-shared/domain/gateway.js';
import { isAlive, isSameProcess } from '../../process/process-identity.js';
import { killProcessTree } from '../../process/process-tree.js';
import { APP_VERSION } from '../../version.js';
import { startProcessLogging } from '../../logging/process-logging.js';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { callSupervisor, liveSupervisor } from '../control-client.js';
import { withCliStore } from '../open-store.js';

const NO_SUPERVISOR =
  'no supervisor is running: start the desktop app or `clawdbot supervise`, or run the gateway in the foreground with `clawdbot gateway run`';

function printStatus(status: GatewayStatus): void {
  process.stdout.write(
    `gateway: ${status.state}${status.pid !== null ? ` (pid ${status.pid})` : ''}${status.message ? ` — ${status.message}` : ''}\n`,
  );
}

/** `clawdbot gateway run|start|stop|restart`. */
export function registerGatewayCommands(program: Command, context: CliContext): void {
  const gateway = program.command('gateway').description('run or control the gateway');

  gateway
    .command('run')
    .description('run the gateway in the foreground, without a supervisor')
    .action(async () => {
      const { runGateway } = await import('../../gateway/run-gateway.js');
      const { stateDir } = context;
      // The process's one config service, followed while the gateway runs.
      const config = context.followConfig();
      const code = await runGateway({
        stateDir,
        parent: null,
        version: APP_VERSION,
        notice: (line) => process.stderr.write(`${line}\n`),
        log: startProcessLogging({ process: 'gateway', stateDir, follow: true, config }).log,
        config,
      });
      if (code !== 0) throw new CliError('the gateway did not start (see above)', code);
    });

  for (const action of ['start', 'restart'] as const) {
    gateway
      .command(action)
      .description(`ask the running supervisor to ${action} the gateway`)
      .action(() =>
        withCliStore(context, async ({ runtime }) => {
          const supervisor = liveSupervisor(runtime);
          if (!supervisor) throw new CliError(NO_SUPERVISOR);
          printStatus(await callSupervisor(supervisor.socketPath, `gateway:${action}`, {}));
        }),
      );
  }

  gateway
    .command('stop')
    .description(
      'stop the gateway gracefully (through the supervisor, or a foreground gateway directly)',
    )
    .action(() =>
      withCliStore(context, async ({ runtime }) => {
        const supervisor = liveSupervisor(runtime);
        if (supervisor) {
          printStatus(await callSupervisor(supervisor.socketPath, 'gateway:stop', {}));
          return;
        }
        const recorded = runtime.readGateway().process;
        if (!recorded || !isSameProcess(recorded.pid, recorded.identity)) {
          process.stdout.write('gateway: not running\n');
          return;
        }
        await stopForegroundGateway(recorded.pid);
        process.stdout.write(`gateway: stopped (pid ${recorded.pid})\n`);
      }),
    );
}

/** SIGTERM, then SIGKILL of the tree after 3 s: the same grace the supervisor gives. */
async function stopForegroundGateway(pid: number): Promise<void> {
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  killProcessTree(pid);
}
