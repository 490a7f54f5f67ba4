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
import { oneLineErrors } from '../cli-args.js';
import { observedGatewayStatus } from '../gateway-liveness.js';

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
    .command('health')
    .description(
      "exit 0 when the supervisor runs and its gateway is up (the container's HEALTHCHECK), else 1",
    )
    .action(() =>
      withCliStore(context, ({ runtime, killSwitch }) => {
        const why = unhealthyReason(
          liveSupervisor(runtime) !== null,
          observedGatewayStatus(runtime),
          killSwitch.read().engaged,
        );
        if (why !== null) throw new CliError(`unhealthy: ${why}`);
        process.stdout.write('healthy: the supervisor and its gateway are running\n');
      }),
    );

  registerGatewayImageCommands(gateway);

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

/**
 * Why a containerised gateway is not healthy, or null when it is: the supervisor must be
 * running (it is the container's main process), the kill switch armed, and the gateway up.
 */
export function unhealthyReason(
  supervisorRunning: boolean,
  gateway: GatewayStatus,
  killSwitchEngaged: boolean,
): string | null {
  if (!supervisorRunning) return 'no supervisor is running';
  if (killSwitchEngaged) return 'the kill switch is engaged';
  if (gateway.state !== 'running') {
    return `the gateway is ${gateway.state}${gateway.message ? ` (${gateway.message})` : ''}`;
  }
  return null;
}

/** `clawdbot gateway image build [--offline]`: the image of Option A (the gateway in Docker). */
function registerGatewayImageCommands(gateway: Command): void {
  const image = oneLineErrors(gateway.command('image').description('the gateway container image'));
  oneLineErrors(
    image
      .command('build')
      .description(
        'build clawdbot-gateway:local from docker/Dockerfile (--offline: debootstrap + docker import, no registry)',
      )
      .option('--offline', 'build from Debian packages with debootstrap (needs root)')
      .option('--tag <image>', 'the image tag (default clawdbot-gateway:local)')
      .option('--mirror <url>', "offline: the Debian mirror (default: the host's apt mirror)")
      .option('--force', 'offline: build even when the image already holds this build')
      .action(
        async (options: { offline?: boolean; tag?: string; mirror?: string; force?: boolean }) => {
          const [{ buildGatewayImage }, { connectDocker }, { describeError }] = await Promise.all([
            import('../../container/gateway-image-build.js'),
            import('../../docker/docker-client.js'),
            import('../../../src-shared/errors/describe-error.js'),
          ]);
          const result = await buildGatewayImage({
            docker: await connectDocker(0),
            offline: options.offline === true,
            tag: options.tag,
            mirror: options.mirror,
            force: options.force === true,
            onProgress: (line) => process.stdout.write(`${line}\n`),
          }).catch((error: unknown) => {
            throw new CliError(describeError(error));
          });
          process.stdout.write(`${result.tag} is ready (${result.imageId})\n`);
        },
      ),
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
