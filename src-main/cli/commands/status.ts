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

/**
 * `clawdbot status [--json]`: the gateway, the kill switch and the supervisor, from the database,
 * and where the logs are written (with why, when not where the config says).
 */
export function registerStatusCommand(program: Command, context: CliContext): void {
  program
    .command('status')
    .description('show the gateway, the kill switch and the supervisor')
    .option('--json', 'print one JSON object')
    .action((options: { json?: boolean }) =>
      withCliStore(context, ({ runtime, killSwitch }) => {
        const gateway = observedGatewayStatus(runtime);
        // What a gateway starting now runs on (a running one reports the same: same file, same store).
        const configService = context.config();
        const config = configService.status();
        const kill = killSwitch.read();
        const supervisor = liveSupervisor(runtime);
        const logging = logStatusOf(
          logDestinationFor(context.env, context.stateDir, configService.current().config),
        );
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
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      }),
    );
}
