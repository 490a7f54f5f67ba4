/**
 * A one-line explanation of a Docker failure that a person can act on. One line even when the
 * engine quotes a runtime's multi-line output, so a report or a log keeps one line per item.
 */
export function describeDockerError(error: unknown): string {
  return explain(error)
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

function explain(error: unknown): string {
  const err = error as NodeJS.ErrnoException & { address?: string; json?: { message?: string } };
  if (err?.code === 'ENOENT' || err?.code === 'ECONNREFUSED') {
    return `Docker is not reachable (${err.code}${err.address ? ` at ${err.address}` : ''}); is the Docker engine running?`;
  }
  if (err?.code === 'EACCES') return 'permission denied on the Docker socket';
  if (err?.json?.message) return err.json.message;
  return err instanceof Error ? err.message : String(error);
}
