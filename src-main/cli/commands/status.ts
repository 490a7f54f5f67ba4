import type { Command } from 'commander';
import { describeSweep, killSwitchEngagedMessage } from '../../../src-shared/domain/kill-switch.js';
import { liveSupervisor } from '../control-client.js';
import { observedGatewayStatus } from '../gateway-liveness.js';
import { withCliStore } from '../open-store.js';
import { formatDuration } from '../format.js';

/** `clawdbot status [--json]`: the gateway, the kill switch and the supervisor, from the database. */
export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('show the gateway, the kill switch and the supervisor')
    .option('--json', 'print one JSON object')
    .action((options: { json?: boolean }) =>
      withCliStore(({ runtime, killSwitch }) => {
        const gateway = observedGatewayStatus(runtime);
        const kill = killSwitch.read();
        const supervisor = liveSupervisor(runtime);
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
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      }),
    );
}
