import {
  TailBuffer,
  type GatewayChild,
  type GatewayLauncher,
} from '../supervisor/gateway-child.js';

/** A readable stream of the child's output, as the launcher reads it. */
export interface ChildOutput {
  setEncoding(encoding: 'utf8'): { on(event: 'data', listener: (text: string) => void): unknown };
  resume(): unknown;
}

/** The part of Electron's `UtilityProcess` the launcher uses. */
export interface UtilityChild {
  readonly pid: number | undefined;
  readonly stdout: ChildOutput | null;
  readonly stderr: ChildOutput | null;
  once(event: 'spawn', listener: () => void): void;
  once(event: 'exit', listener: (code: number) => void): void;
  on(event: 'message', listener: (message: unknown) => void): void;
  postMessage(message: unknown): void;
}

/** Starts a utility process (Electron: `utilityProcess.fork`). */
export type UtilityFork = (
  modulePath: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; stdio: 'pipe'; serviceName: string },
) => UtilityChild;

/** A launcher that starts the gateway as an Electron utility process. */
export function createUtilityLauncher(fork: UtilityFork, entry: string): GatewayLauncher {
  return (env) => {
    const child = fork(entry, [], { env, stdio: 'pipe', serviceName: 'Clawdbot Gateway' });
    const tail = new TailBuffer();
    child.stderr?.setEncoding('utf8').on('data', (text: string) => tail.push(text));
    // Nothing reads stdout (the gateway logs to its file and stderr); a full pipe would block it.
    child.stdout?.resume();
    const handle: GatewayChild = {
      get pid() {
        return child.pid;
      },
      onSpawn(listener) {
        child.once('spawn', () => {
          if (child.pid !== undefined) listener(child.pid);
        });
      },
      send(message) {
        child.postMessage(message);
      },
      onMessage(listener) {
        child.on('message', listener);
      },
      // Electron reports only the exit code; a signal death shows as a non-zero code.
      onExit(listener) {
        child.once('exit', (code) => listener(code, null));
      },
      stderrTail: () => tail.toString(),
    };
    return handle;
  };
}
