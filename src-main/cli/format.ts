import type { KillReport } from '../../src-shared/domain/kill-switch.js';

/** The kill report as lines for a terminal. */
export function formatKillReport(report: KillReport): string {
  const lines = [`kill switch engaged (${report.reason}) in ${report.durationMs} ms`];
  const { gateway, sandboxes } = report;
  if (gateway.found) {
    const others = gateway.pids.filter((pid) => pid !== gateway.pid);
    const whom =
      others.length === 0
        ? `pid ${gateway.pid} and its tree`
        : `pids ${[gateway.pid, ...others].join(', ')} and their trees`;
    lines.push(
      `gateway: killed ${whom} (${gateway.killedPids.length} process${gateway.killedPids.length === 1 ? '' : 'es'})`,
    );
  } else {
    lines.push('gateway: no running gateway found');
  }
  if (gateway.error) lines.push(`gateway: error: ${gateway.error}`);
  if (!sandboxes.dockerReachable) {
    lines.push(
      `sandboxes: MAY REMAIN — the Docker engine did not answer (${sandboxes.error ?? 'no reply'})`,
    );
  } else {
    const killed = sandboxes.containers.filter((c) => c.error === null);
    lines.push(
      `sandboxes: killed and removed ${killed.length} container${killed.length === 1 ? '' : 's'}`,
    );
    for (const c of sandboxes.containers) {
      lines.push(
        `  ${c.error === null ? 'removed' : 'FAILED '} ${c.name}${c.sessionKey ? ` (session ${c.sessionKey})` : ''}${c.error ? `: ${c.error}` : ''}`,
      );
    }
  }
  if (report.persistError) lines.push(`WARNING: ${report.persistError}`);
  lines.push(
    're-arm with `clawdbot rearm` when it is safe; the gateway stays stopped until started.',
  );
  return lines.join('\n');
}
