import {
  containersNotFrozen,
  describeStop,
  type KillReport,
} from '../../src-shared/domain/kill-switch.js';

/**
 * The sandbox half of a kill report, as `<dt>/<dd>` pairs of the report's fact list: when every
 * sandboxed process was stopped (frozen or dead), when every container was gone, each container
 * with how it was stopped, and those that could not be frozen with the engine's reason.
 */
export function KillSandboxes({ report }: { report: KillReport }) {
  const { sandboxes } = report;
  if (!sandboxes.dockerReachable) {
    return (
      <>
        <dt>Sandboxes</dt>
        <dd data-testid="kill-sandboxes" className="warning">
          may remain: the Docker engine did not answer ({sandboxes.error ?? 'no reply'})
        </dd>
      </>
    );
  }
  const notFrozen = containersNotFrozen(sandboxes);
  return (
    <>
      <dt>Stopped</dt>
      <dd data-testid="kill-stopped" className={report.stoppedMs === null ? 'warning' : undefined}>
        {report.stoppedMs === null
          ? 'not confirmed: some sandboxed processes may still run'
          : `${report.stoppedMs} ms — every sandboxed process frozen or dead`}
      </dd>
      <dt>Removed</dt>
      <dd data-testid="kill-removed" className={report.removedMs === null ? 'warning' : undefined}>
        {report.removedMs === null
          ? 'not confirmed: some containers may remain'
          : `${report.removedMs} ms — every sandbox container gone`}
      </dd>
      <dt>Sandboxes</dt>
      <dd data-testid="kill-sandboxes">
        {`${sandboxes.containers.filter((c) => c.error === null).length} of ${sandboxes.containers.length} container(s) removed`}
        {sandboxes.containers.length > 0 && (
          <ul>
            {sandboxes.containers.map((c) => (
              <li key={c.id} data-testid="kill-container" data-stop={c.stop}>
                {c.name}
                {c.sessionKey ? ` (session ${c.sessionKey})` : ''} — {describeStop(c)}
                {c.error ? `; NOT REMOVED: ${c.error}` : ''}
              </li>
            ))}
          </ul>
        )}
      </dd>
      {notFrozen.length > 0 && (
        <>
          <dt>Not frozen</dt>
          <dd data-testid="kill-not-frozen" className="warning">
            <ul>
              {notFrozen.map((c) => (
                <li key={c.id}>
                  {c.name}: {c.freezeError}
                  {c.stop === 'failed' ? ' (it may still run)' : ''}
                </li>
              ))}
            </ul>
          </dd>
        </>
      )}
    </>
  );
}
