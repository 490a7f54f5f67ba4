import { once } from 'node:events';

let closed = false;
let watching = false;

/**
 * Stops quietly when the reader goes away (`clawdbot sessions export … | head`): the EPIPE
 * would otherwise surface as an unhandled error with a stack trace.
 */
function watchForClosedPipe(): void {
  if (watching) return;
  watching = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
    process.exit(0);
  });
}

/**
 * Writes `text` to stdout, waiting when the stream's buffer is full, so a long transcript is
 * written page by page instead of piling up in memory ahead of a slow reader.
 */
export async function writeOut(text: string): Promise<void> {
  watchForClosedPipe();
  if (closed || text === '') return;
  if (!process.stdout.write(text)) await once(process.stdout, 'drain');
}
