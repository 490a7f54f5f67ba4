import { describeStop, type KillReport } from '../../src-shared/domain/kill-switch.js';

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
    lines.push(...sandboxLines(report));
  }
  for (const other of report.otherEngines) {
    const where = other.endpoint ?? 'an engine used before';
    const { containers } = other;
    const removed = containers.filter((c) => c.error === null).length;
    lines.push(
      other.dockerReachable
        ? `sandboxes on ${where} (used before): stopped ${moment(other.stoppedMs, 'NOT CONFIRMED')}, removed ${moment(other.removedMs, 'NOT CONFIRMED')} (${removed} of ${containers.length})`
        : `sandboxes on ${where} (used before): MAY REMAIN — it did not answer (${other.error ?? 'no reply'})`,
    );
  }
  if (sandboxes.reach === 'all-installations') {
    lines.push(
      'sandboxes: of every Clawdbot installation on this engine (--all-installations), not only this one',
    );
  }
  if (report.persistError) lines.push(`WARNING: ${report.persistError}`);
  lines.push(
    're-arm with `clawdbot rearm` when it is safe; the gateway stays stopped until started.',
  );
  return lines.join('\n');
}

/** A moment of the kill report, or what it means that it was not reached. */
function moment(ms: number | null, missing: string): string {
  return ms === null ? missing : `in ${ms} ms`;
}

/** The sandbox lines of a kill report whose engine answered: both moments, then each container. */
function sandboxLines(report: KillReport): string[] {
  const { containers } = report.sandboxes;
  const frozen = containers.filter((c) => c.stop === 'frozen').length;
  const removed = containers.filter((c) => c.error === null).length;
  const lines = [
    `sandboxes: stopped ${moment(report.stoppedMs, 'NOT CONFIRMED, some may still run')} ` +
      `(${frozen} of ${containers.length} frozen), removed ${moment(report.removedMs, 'NOT CONFIRMED')} ` +
      `(${removed} of ${containers.length})`,
  ];
  for (const c of containers) {
    const who = `${c.name}${c.sessionKey ? ` (session ${c.sessionKey})` : ''}`;
    lines.push(
      `  ${c.error === null ? 'removed' : 'FAILED '} ${who} — ${describeStop(c)}${c.error === null ? '' : `; not removed: ${c.error}`}`,
    );
  }
  return lines;
}
