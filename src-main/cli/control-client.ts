import { WebSocket } from 'ws';
import type { InvokeChannel, InvokeInput, InvokeOutput } from '../../src-shared/ipc/contract.js';
import type { Envelope } from '../../src-shared/ipc/envelope.js';
import type { RuntimeRepo } from '../store/runtime-repo.js';
import { isSameProcess } from '../process/process-identity.js';
import { rawDataToText } from '../supervisor/raw-data.js';
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
      let opened = false;
      const fail = (message: string): void => {
        clearTimeout(timer);
        reject(new CliError(message));
      };
      const timer = setTimeout(
        () => fail(`the supervisor did not answer ${channel} within ${timeoutMs / 1000} s`),
        timeoutMs,
      );
      // Every error, not just the first: a second unhandled 'error' event would crash the CLI
      // with a stack trace instead of a one-line reason.
      ws.on('error', (error) =>
        fail(
          opened
            ? `the supervisor's reply was malformed: ${error.message}`
            : `cannot reach the supervisor at ${socketPath}: ${error.message}`,
        ),
      );
      ws.once('open', () => {
        opened = true;
        ws.send(JSON.stringify({ id: 1, channel, input }));
      });
      ws.once('close', (code) =>
        fail(`the supervisor closed the connection before answering ${channel} (code ${code})`),
      );
      ws.on('message', (data) => {
        let frame: unknown;
        try {
          frame = JSON.parse(rawDataToText(data));
        } catch {
          fail(`the supervisor's reply was malformed: not JSON`);
          return;
        }
        if (typeof frame !== 'object' || frame === null || !('id' in frame) || frame.id !== 1)
          return;
        clearTimeout(timer);
        resolve(frame as unknown as Envelope<InvokeOutput<C>>);
      });
    });
    if (!envelope.ok) throw new CliError(envelope.error.message);
    return envelope.value;
  } finally {
    ws.close();
  }
}
