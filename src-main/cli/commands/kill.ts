import type { Command } from 'commander';
import {
  DEFAULT_KILL_REASON,
  MAX_KILL_REASON_LENGTH,
} from '../../../src-shared/domain/kill-switch.js';
import { connectDocker } from '../../supervisor/docker-client.js';
import { engageKillSwitch } from '../../supervisor/kill-switch.js';
import { CliError } from '../cli-error.js';
import { formatKillReport } from '../format.js';
import { withCliStore } from '../open-store.js';

/**
 * `clawdbot kill [--reason TEXT]`: engages the kill switch straight through the database and the
 * Docker API, so it works with no supervisor running and when the desktop app is hung.
 */
export function registerKillCommand(program: Command): void {
  program
    .command('kill')
    .description('engage the kill switch: kill the gateway and every sandbox container now')
    .option('--reason <text>', 'why (kept in the incident trail)')
    .option('--json', 'print the report as JSON')
    .action((options: { reason?: string; json?: boolean }) => {
      const reason = options.reason?.trim() || DEFAULT_KILL_REASON;
      if (reason.length > MAX_KILL_REASON_LENGTH) {
        throw new CliError(
          `--reason is too long (${reason.length} characters; at most ${MAX_KILL_REASON_LENGTH})`,
        );
      }
      return withCliStore(async ({ killSwitch, runtime }) => {
        const report = await engageKillSwitch(
          { killSwitch, runtime, docker: connectDocker() },
          reason,
          'cli',
        );
        process.stdout.write(
          `${options.json ? JSON.stringify(report) : formatKillReport(report)}\n`,
        );
        const failed = report.sandboxes.containers.filter((c) => c.error !== null);
        if (report.gateway.error || failed.length > 0) {
          throw new CliError(
            'the kill switch is engaged, but not everything could be killed (see above)',
          );
        }
      });
    });
}
