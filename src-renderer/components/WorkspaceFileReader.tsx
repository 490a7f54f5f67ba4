import { useId, useState, type FormEvent } from 'react';
import type { SandboxFile, SandboxSummary } from '../../src-shared/domain/sandbox.js';
import { describeError } from '../../src-shared/errors/describe-error.js';
import { formatBytes } from '../state/byte-size.js';
import type { Transport } from '../transport.js';

/**
 * Reads one file of a sandbox's workspace, through the engine that runs it (on a remote engine
 * the workspace is one of its volumes, never a folder here): pick the sandbox, type the path
 * (relative to /workspace), read. Text is shown as text, never interpreted; binary files and
 * files over 1 MiB are named, not shown.
 */
export function WorkspaceFileReader(props: {
  transport: Transport;
  sandboxes: readonly SandboxSummary[];
}) {
  const { transport, sandboxes } = props;
  const [name, setName] = useState(sandboxes[0]?.name ?? '');
  const [path, setPath] = useState('');
  const [file, setFile] = useState<SandboxFile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const ids = { sandbox: useId(), path: useId(), error: useId() };
  // A sandbox that went away (stopped, killed) is no longer offered: the first one is then.
  const selected = sandboxes.some((s) => s.name === name) ? name : (sandboxes[0]?.name ?? '');

  const read = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setReading(true);
    setError(null);
    setFile(null);
    try {
      const reply = await transport.invoke('sandboxfile:read', { name: selected, path });
      if (reply.ok) setFile(reply.value);
      else setError(reply.error.message);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setReading(false);
    }
  };

  return (
    <section className="workspace-file" aria-label="Read a workspace file">
      <h3>Read a workspace file</h3>
      <form className="workspace-file__form" onSubmit={(event) => void read(event)}>
        <label htmlFor={ids.sandbox}>Sandbox</label>
        <select
          id={ids.sandbox}
          value={selected}
          onChange={(event) => setName(event.target.value)}
          data-testid="workspace-file-sandbox"
        >
          {sandboxes.map((s) => (
            <option key={s.id} value={s.name}>
              {s.sessionKey ?? s.name}
            </option>
          ))}
        </select>
        <label htmlFor={ids.path}>Path in /workspace</label>
        <input
          id={ids.path}
          type="text"
          value={path}
          placeholder="notes.txt"
          spellCheck={false}
          aria-invalid={error !== null}
          aria-describedby={error !== null ? ids.error : undefined}
          onChange={(event) => setPath(event.target.value)}
          data-testid="workspace-file-path"
        />
        <button
          type="submit"
          disabled={reading || selected === '' || path.trim() === ''}
          data-testid="workspace-file-read"
        >
          {reading ? 'Reading…' : 'Read'}
        </button>
      </form>
      {error !== null && (
        <p
          id={ids.error}
          className="notice notice--error"
          role="alert"
          data-testid="workspace-file-error"
        >
          {error}
        </p>
      )}
      {file !== null && (
        <figure className="workspace-file__content" data-testid="workspace-file">
          <figcaption>
            <code>{file.path}</code> in <code>{file.name}</code>, {formatBytes(file.bytes)}
          </figcaption>
          {file.text === null ? (
            <p className="muted">Not text (binary content is not shown).</p>
          ) : (
            <pre data-testid="workspace-file-text">{file.text}</pre>
          )}
        </figure>
      )}
    </section>
  );
}
