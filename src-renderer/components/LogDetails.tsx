import { useState } from 'react';
import type { LogLine } from '../state/logs-store.js';

/**
 * Copies text: the clipboard API where the page may use it (a secure context, focused), else
 * the old select-and-copy way, which also works in plain-http web mode.
 */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'log-copy-buffer';
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

/** Every field of a line, as the JSON it was written as (`raw` for a malformed line). */
function fieldsOf(line: LogLine): string {
  if (line.malformed) return line.raw;
  const { time, level, process, scope, msg, fields } = line;
  return JSON.stringify({ time, level, process, scope, msg, ...fields }, null, 2);
}

/** The clicked line: all its fields pretty-printed, with copy buttons. */
export function LogDetails({ line, onClose }: { line: LogLine; onClose: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = (what: string, text: string): void => {
    void copyText(text).then((ok) => setCopied(ok ? what : 'nothing (copy failed)'));
  };
  return (
    <aside className="log-details" aria-label="Line details" data-testid="log-details">
      <header className="log-details__header">
        <strong data-testid="log-details-line">Line {line.line + 1}</strong>
        {line.malformed && <span className="muted"> not JSON: shown as written</span>}
        <span className="log-details__actions">
          <button type="button" onClick={() => copy('line', line.raw)} data-testid="log-copy-line">
            Copy line
          </button>
          <button
            type="button"
            onClick={() => copy('fields', fieldsOf(line))}
            data-testid="log-copy-fields"
          >
            Copy fields
          </button>
          <button type="button" onClick={onClose} aria-label="Close details">
            ×
          </button>
        </span>
      </header>
      {copied && (
        <p className="muted" role="status">
          Copied {copied}.
        </p>
      )}
      <pre className="log-details__fields" data-testid="log-details-fields">
        {fieldsOf(line)}
      </pre>
    </aside>
  );
}
