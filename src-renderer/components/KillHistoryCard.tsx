import {
  describeStop,
  type KillHistoryEntry,
  type KillReport,
  type KillSource,
} from '../../src-shared/domain/kill-switch.js';
import { useApp } from '../state/store-context.js';
import { useQuery } from '../state/use-query.js';
import { formatTime } from './format.js';

const sourceWords: Record<KillSource, string> = {
  cli: 'the command line',
  tray: 'the tray menu',
  ui: 'the app',
};

function gatewayLine(report: KillReport): string {
  const { gateway } = report;
  const killed = gateway.found
    ? `gateway pid ${gateway.pid ?? '?'} killed with ${gateway.killedPids.length} process${gateway.killedPids.length === 1 ? '' : 'es'}`
    : 'gateway was not running';
  return gateway.error ? `${killed} (error: ${gateway.error})` : killed;
}

function sandboxLine(report: KillReport): string {
  const { sandboxes } = report;
  if (!sandboxes.dockerReachable)
    return `sandboxes may have remained: Docker did not answer (${sandboxes.error ?? 'no reply'})`;
  if (sandboxes.containers.length === 0) return 'no sandbox was running';
  return sandboxes.containers.map((c) => `${c.name} ${describeStop(c)}`).join('; ');
}

function Entry({ entry }: { entry: KillHistoryEntry }) {
  return (
    <li className="kill-history__entry" data-testid="kill-history-entry">
      <details>
        <summary>
          <time dateTime={new Date(entry.engagedAt).toISOString()}>
            {formatTime(entry.engagedAt)}
          </time>{' '}
          — {entry.reason ?? 'no reason given'}
          {entry.source ? `, from ${sourceWords[entry.source]}` : ''}
          {entry.rearmedAt === null ? '' : `; re-armed ${formatTime(entry.rearmedAt)}`}
        </summary>
        {entry.report ? (
          <ul className="kill-history__report" data-testid="kill-history-report">
            <li>{gatewayLine(entry.report)}</li>
            <li>{sandboxLine(entry.report)}</li>
            <li>took {entry.report.durationMs} ms</li>
          </ul>
        ) : (
          <p className="muted">No report was recorded: the kill did not finish writing one.</p>
        )}
      </details>
    </li>
  );
}

/**
 * Every past kill with its report, newest first: the kill switch keeps only the latest, and
 * what an earlier kill did must stay readable after re-arming. Read again whenever the switch
 * changes (engaged, reported, re-armed).
 */
export function KillHistoryCard() {
  const killSwitch = useApp((s) => s.snapshot?.killSwitch ?? null);
  const changed = `${killSwitch?.engaged}:${killSwitch?.engagedAt}:${killSwitch?.lastReport?.engagedAt}`;
  const history = useQuery('killswitch:history', {}, changed);
  if (!history || history.length === 0) return null;
  return (
    <section className="card" aria-labelledby="kill-history-title" data-testid="kill-history">
      <h2 id="kill-history-title">Kill history</h2>
      <ol className="kill-history">
        {history.map((entry) => (
          <Entry key={entry.engagedAt} entry={entry} />
        ))}
      </ol>
    </section>
  );
}
