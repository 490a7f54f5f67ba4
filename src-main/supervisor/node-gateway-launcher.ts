import { fork } from 'node:child_process';
import type { GatewayChild, GatewayLauncher } from './gateway-child.js';
import { TailBuffer } from './gateway-child.js';

/** Options for starting the gateway with Node's `child_process.fork` (headless mode). */
export interface NodeLauncherOptions {
  /** The gateway entry script (the built `out/main/gateway.js`). */
  entry: string;
  execArgv?: string[];
  /** Where the child's stdout/stderr lines go besides the crash tail. */
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
}

/** A launcher that forks the gateway as a Node child process with an IPC channel. */
export function createNodeGatewayLauncher(options: NodeLauncherOptions): GatewayLauncher {
  return (env) => {
    const child = fork(options.entry, [], {
      env,
      execArgv: options.execArgv ?? [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const tail = new TailBuffer();
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      options.onOutput?.('stdout', text);
    });
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      tail.push(text);
      options.onOutput?.('stderr', text);
    });
    // A send to a child that just died raises EPIPE asynchronously; the exit handler covers it.
    child.on('error', () => undefined);
    const handle: GatewayChild = {
      pid: child.pid,
      send(message) {
        if (child.connected) child.send(message, () => undefined);
      },
      onSpawn(listener) {
        child.once('spawn', () => {
          if (child.pid !== undefined) listener(child.pid);
        });
      },
      onMessage(listener) {
        child.on('message', listener);
      },
      onExit(listener) {
        // 'exit' is the truth; 'close' additionally waits for stdio to drain (for a complete
        // stderr tail) — but a grandchild holding our stderr open would delay it forever, so
        // wait for it only briefly.
        child.once('exit', (code, signal) => {
          let reported = false;
          const report = (): void => {
            if (reported) return;
            reported = true;
            listener(code, signal);
          };
          const timer = setTimeout(report, 500);
          child.once('close', () => {
            clearTimeout(timer);
            report();
          });
        });
      },
      stderrTail: () => tail.toString(),
    };
    return handle;
  };
}
