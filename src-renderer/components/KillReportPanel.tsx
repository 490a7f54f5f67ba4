import { useState } from 'react';
import { describeSweep } from '../../src-shared/domain/kill-switch.js';
import { useApp } from '../state/store-context.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { formatTime } from './format.js';
import { IncidentLink } from './IncidentLink.js';
import { KillSandboxes } from './KillSandboxes.js';

/** While the switch is engaged: what was killed, when and why, and the way back (re-arm). */
export function KillReportPanel() {
  const killSwitch = useApp((s) => s.snapshot?.killSwitch);
  const rearm = useApp((s) => s.rearm);
  const busy = useApp((s) => s.busy === 'killswitch:rearm');
  const [confirming, setConfirming] = useState(false);
  if (!killSwitch?.engaged) return null;
  // The report of an earlier engagement is not this one's: while this kill is still at work
  // (the engaged state is saved first), there is none yet.
  const report =
    killSwitch.lastReport?.engagedAt === killSwitch.engagedAt ? killSwitch.lastReport : null;

  return (
    <section
      className="card card--engaged"
      data-testid="kill-report"
      aria-label="Kill switch report"
    >
      <h2>Kill switch engaged</h2>
      <dl className="facts">
        <dt>When</dt>
        <dd>{killSwitch.engagedAt ? formatTime(killSwitch.engagedAt) : 'unknown'}</dd>
        <dt>Why</dt>
        <dd>{killSwitch.reason ?? 'no reason given'}</dd>
        <dt>From</dt>
        <dd>
          {killSwitch.source === 'cli'
            ? 'the command line'
            : killSwitch.source === 'tray'
              ? 'the tray menu'
              : 'this window'}
        </dd>
        {!report && (
          <>
            <dt>Report</dt>
            <dd data-testid="kill-in-progress">
              not yet: the kill switch may still be at work (see Now below)
            </dd>
          </>
        )}
        {report && (
          <>
            <dt>Took</dt>
            <dd data-testid="kill-duration">{report.durationMs} ms</dd>
            <dt>Gateway</dt>
            <dd data-testid="kill-gateway">
              {report.gateway.found
                ? `killed pid ${report.gateway.pid ?? '?'} and its tree (${report.gateway.killedPids.length} process${report.gateway.killedPids.length === 1 ? '' : 'es'})`
                : 'was not running'}
              {report.gateway.error ? ` — error: ${report.gateway.error}` : ''}
            </dd>
            <KillSandboxes report={report} />
          </>
        )}
        {killSwitch.sweep && (
          <>
            <dt>Now</dt>
            <dd
              data-testid="kill-sweep"
              className={killSwitch.sweep.state === 'may-remain' ? 'warning' : undefined}
            >
              {describeSweep(killSwitch.sweep)}
              {killSwitch.sweep.state === 'may-remain' &&
                ' — the supervisor keeps removing them while the switch is engaged'}
              {killSwitch.sweep.checkedAt !== null &&
                ` (last checked ${formatTime(killSwitch.sweep.checkedAt)})`}
            </dd>
          </>
        )}
      </dl>
      <p>
        <IncidentLink urgent />
      </p>
      <button type="button" data-testid="rearm" disabled={busy} onClick={() => setConfirming(true)}>
        Re-arm…
      </button>
      {confirming && (
        <ConfirmDialog
          title="Re-arm the kill switch?"
          body="The gateway stays stopped until you start it. Make sure whatever made you pull the switch is dealt with."
          confirmLabel="Re-arm"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void rearm();
          }}
        />
      )}
    </section>
  );
}
