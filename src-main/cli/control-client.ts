import { WebSocket } from 'ws';
import type { InvokeChannel, InvokeInput, InvokeOutput } from '../../src-shared/ipc/contract.js';
import type { Envelope } from '../../src-shared/ipc/envelope.js';
import type { RuntimeRepo } from '../store/runtime-repo.js';
import { isSameProcess } from '../process/process-identity.js';
import { rawDataToText } from '../web/raw-data.js';
import { CliError } from './cli-error.js';

/** The supervisor that is running now, if any, and where to reach it. */
export function liveSupervisor(runtime: RuntimeRepo): { pid: number; socketPath: string } | null {
  const record = runtime.readSupervisor();
  if (!record || record.socketPath === null) return null;
  if (!isSameProcess(record.pid, record.identity)) return null;
  return { pid: record.pid, socketPath: record.socketPath };
}

/** Calls one contract channel on the running supervisor over its control socket. */
export async function callSupervisor<C extends InvokeChannel>(
  socketPath: string,
  channel: C,
  input: InvokeInput<C>,
  timeoutMs = 15_000,
): Promise<InvokeOutput<C>> {
  const address =
    process.platform === 'win32' ? `ws+unix:${socketPath}:/` : `ws+unix://${socketPath}:/`;
  const ws = new WebSocket(address);
  try {
    const envelope = await new Promise<Envelope<InvokeOutput<C>>>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new CliError(`the supervisor did not answer ${channel} within ${timeoutMs / 1000} s`),
          ),
        timeoutMs,
      );
      ws.once('error', (error) => {
        clearTimeout(timer);
        reject(new CliError(`cannot reach the supervisor at ${socketPath}: ${error.message}`));
      });
      ws.once('open', () => ws.send(JSON.stringify({ id: 1, channel, input })));
      ws.on('message', (data) => {
        const frame = JSON.parse(rawDataToText(data)) as { id?: unknown };
        if (frame.id !== 1) return;
        clearTimeout(timer);
        resolve(frame as Envelope<InvokeOutput<C>>);
      });
    });
    if (!envelope.ok) throw new CliError(envelope.error.message);
    return envelope.value;
  } finally {
    ws.close();
  }
}
