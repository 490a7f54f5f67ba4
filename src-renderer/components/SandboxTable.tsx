import type { SandboxSummary } from '../../src-shared/domain/sandbox.js';
import { describeEngineAddress } from '../../src-shared/format/engine-address.js';
import { engineLabel } from '../../src-shared/format/engine-label.js';
import { useApp } from '../state/store-context.js';
import { TableHead } from './TableHead.js';
import { formatBytes, formatCpu } from '../state/byte-size.js';
import { formatAgo } from '../state/relative-time.js';
import { formatTime } from './format.js';
import { formatSpan } from '../../src-shared/format/duration.js';

/**
 * The sandbox containers, one row each, with a Stop button that asks first. Each says where it
 * runs: the engine (every sandbox of this installation runs on the configured one, as the
 * supervisor last asked it) and the container's own runtime (runc, or gVisor's runsc).
 */
export function SandboxTable(props: {
  sandboxes: readonly SandboxSummary[];
  /** Names of containers being stopped. */
  stopping: readonly string[];
  onStop: (sandbox: SandboxSummary) => void;
}) {
  const engine = useApp((s) => s.snapshot?.sandboxEngine);
  const engineText = engine ? engineLabel(engine) : 'not asked yet';
  const engineTitle = engine?.address ? describeEngineAddress(engine.address) : undefined;
  return (
    // Eleven columns: on a narrow window the table scrolls inside its card, never the page.
    <div className="table-scroll">
      <table className="table" data-testid="sandbox-list">
        <TableHead
          columns={[
            'Container',
            'Session',
            'Image',
            'State',
            'Engine',
            'Runtime',
            'Age',
            'Last use',
            'CPU',
            'Memory',
          ]}
          actions
        />
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
                <td data-testid="sandbox-engine" title={engineTitle}>
                  {engineText}
                </td>
                <td>
                  <code data-testid="sandbox-runtime">{sandbox.runtime ?? 'unknown'}</code>
                </td>
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
                    className="danger"
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
    </div>
  );
}
