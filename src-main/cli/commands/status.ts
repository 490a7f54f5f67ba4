import { engineName } from '../../docker/engine-kind.js';
import type { Command } from 'commander';
import { describeSweep, killSwitchEngagedMessage } from '../../../src-shared/domain/kill-switch.js';
import { describeConfigStatus } from '../../../src-shared/domain/config-status.js';
import type { CliContext } from '../cli-context.js';
import { liveSupervisor } from '../control-client.js';
import { observedGatewayStatus } from '../gateway-liveness.js';
import { withCliStore } from '../open-store.js';
import { logDestinationFor } from '../../logs/log-source.js';
import { logStatusOf } from '../../logging/log-destination.js';
import { formatDuration } from '../../../src-shared/format/duration.js';
import { type EngineHealth, checkEngineHealth } from '../../docker/engine-health.js';
import { describeEngineAddress } from '../../../src-shared/format/engine-address.js';
import { installationId } from '../../installation-id.js';
import { describeError } from '../../../src-shared/errors/describe-error.js';

/** This state directory's installation id, or why it cannot be read (status still reports). */
function installationOf(stateDir: string): {
  installation: string | null;
  installationError?: string;
} {
  try {
    return { installation: installationId(stateDir) };
  } catch (error) {
    return { installation: null, installationError: describeError(error) };
  }
}

/** The engine's health in one line: where sandboxes run, under which runtime, and if they can. */
function describeEngineHealth(health: EngineHealth & ReturnType<typeof installationOf>): string {
  const installation =
    health.installation === null
      ? `installation id unreadable: ${health.installationError ?? 'unknown error'}`
      : `installation ${health.installation}`;
  const where = health.address ? `${describeEngineAddress(health.address)}: ` : '';
  if (!health.reachable) {
    return `${where}the Docker engine did not answer (${health.error}); sandboxed tools are refused; ${installation}`;
  }
  const { runtime, image } = health;
  const name = runtime.inUse ?? "the engine's default";
  const state = runtime.available
    ? 'available'
    : `MISSING from the engine, sandboxed tools are refused (it lists: ${runtime.runtimes.join(', ') || 'none'})`;
  const imageState = image.present
    ? `image ${image.name} ${image.ageDays === null ? '' : `${image.ageDays} day${image.ageDays === 1 ? '' : 's'} old`}`.trim()
    : `image ${image.name} MISSING (clawdbot sandbox image build)`;
  return `${where}${engineName(health.kind)} ${health.version ?? '(version unknown)'}, runtime ${name}${runtime.configured === null ? ' (engine default)' : ''} ${state}; ${imageState}; ${health.sandboxes} sandbox${health.sandboxes === 1 ? '' : 'es'}; ${installation}`;
}

/**
 * `clawdbot status [--json]`: the gateway, the kill switch and the supervisor, from the database,
 * where the logs are written (with why, when not where the config says), and the sandbox engine:
 * this installation's id, whether the engine answers, and the runtime sandboxes use.
 */
export function registerStatusCommand(program: Command, context: CliContext): void {
  program
    .command('status')
    .description('show the gateway, the kill switch and the supervisor')
    .option('--json', 'print one JSON object')
    .action((options: { json?: boolean }) =>
      withCliStore(context, async ({ runtime, killSwitch }) => {
        const gateway = observedGatewayStatus(runtime);
        // What a gateway starting now runs on (a running one reports the same: same file, same store).
        const configService = context.config();
        const config = configService.status();
        const kill = killSwitch.read();
        const supervisor = liveSupervisor(runtime);
        const logging = logStatusOf(
          logDestinationFor(context.env, context.stateDir, configService.current().config),
        );
        const ids = installationOf(context.stateDir);
        const sandboxEngine = {
          ...ids,
          ...(await checkEngineHealth(
            configService.current().config.agent.sandbox,
            ids.installation,
            context.env,
          )),
        };
        if (options.json) {
          process.stdout.write(
            `${JSON.stringify({
              gateway,
              killSwitch: {
                engaged: kill.engaged,
                reason: kill.reason,
                engagedAt: kill.engagedAt,
                source: kill.source,
                lastReport: kill.lastReport,
                sweep: kill.sweep,
              },
              supervisor: { running: supervisor !== null, pid: supervisor?.pid ?? null },
              config,
              logging,
              sandboxEngine,
            })}\n`,
          );
          return;
        }
        const uptime =
          gateway.state === 'running' && gateway.readyAt !== null
            ? `, up ${formatDuration(Date.now() - gateway.readyAt)}`
            : '';
        const lines = [
          `gateway:     ${gateway.state}${gateway.pid !== null ? ` (pid ${gateway.pid}${uptime})` : ''}, ${gateway.restarts} restart${gateway.restarts === 1 ? '' : 's'}`,
          ...(gateway.message ? [`             ${gateway.message}`] : []),
          `kill switch: ${kill.engaged ? killSwitchEngagedMessage(kill) : 'armed (not engaged)'}`,
          ...(kill.sweep && (kill.engaged || kill.sweep.state === 'may-remain')
            ? [`             ${describeSweep(kill.sweep)}`]
            : []),
          `supervisor:  ${supervisor ? `running (pid ${supervisor.pid})` : 'not running'}`,
          `config:      ${describeConfigStatus(config)}`,
          ...config.errors.slice(1).map((error) => `             ${error}`),
          `logs:        ${logging.error ? 'NONE are being written' : logging.file}`,
          ...(logging.fallback
            ? [`             not ${logging.fallback.configured}: ${logging.fallback.reason}`]
            : []),
          ...(logging.error ? [`             ${logging.error}`] : []),
          `sandboxes:   ${describeEngineHealth(sandboxEngine)}`,
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      }),
    );
}
