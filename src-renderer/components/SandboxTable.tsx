import type { SandboxSummary } from '../../src-shared/domain/sandbox.js';
import { formatBytes, formatCpu } from '../state/byte-size.js';
import { formatAgo } from '../state/relative-time.js';
import { formatTime } from './format.js';
import { formatSpan } from '../../src-shared/format/duration.js';

/** The sandbox containers, one row each, with a Stop button that asks first. */
export function SandboxTable(props: {
  sandboxes: readonly SandboxSummary[];
  /** Names of containers being stopped. */
  stopping: readonly string[];
  onStop: (sandbox: SandboxSummary) => void;
}) {
  return (
    <table className="table" data-testid="sandbox-list">
      <thead>
        <tr>
          <th scope="col">Container</th>
          <th scope="col">Session</th>
          <th scope="col">Image</th>
          <th scope="col">State</th>
          <th scope="col">Age</th>
          <th scope="col">Last use</th>
          <th scope="col">CPU</th>
          <th scope="col">Memory</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.sandboxes.map((sandbox) => {
          const stopping = props.stopping.includes(sandbox.name);
          const usage = sandbox.usage;
          return (
            <tr key={sandbox.id} data-testid="sandbox-row" data-sandbox-name={sandbox.name}>
              <td>
                <code data-testid="sandbox-name">{sandbox.name}</code>
              </td>
              <td>
                <code data-testid="sandbox-session">{sandbox.sessionKey ?? '—'}</code>
              </td>
              <td>
                <code data-testid="sandbox-image">{sandbox.image}</code>
              </td>
              <td data-testid="sandbox-state">{sandbox.state}</td>
              <td title={formatTime(sandbox.createdAtMs)} data-testid="sandbox-age">
                {formatSpan(sandbox.ageMs)}
              </td>
              <td title={formatTime(sandbox.lastUsedAtMs)}>
                {/* Relative to when the list was taken: the engine side computed it then. */}
                {formatAgo(0, sandbox.idleMs)}
              </td>
              <td data-testid="sandbox-cpu">{usage ? formatCpu(usage.cpuPercent) : '—'}</td>
              <td data-testid="sandbox-memory">
                {usage
                  ? `${formatBytes(usage.memoryBytes)} / ${formatBytes(usage.memoryLimitBytes)}`
                  : '—'}
              </td>
              <td className="table__actions">
                <button
                  type="button"
                  data-testid="sandbox-stop"
                  disabled={stopping}
                  onClick={() => props.onStop(sandbox)}
                >
                  {stopping ? 'Stopping…' : 'Stop'}
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
