import { utilityProcess } from 'electron';
import {
  TailBuffer,
  type GatewayChild,
  type GatewayLauncher,
} from '../supervisor/gateway-child.js';

/** A launcher that starts the gateway as an Electron utility process. */
export function createUtilityLauncher(entry: string): GatewayLauncher {
  return (env) => {
    const child = utilityProcess.fork(entry, [], {
      env,
      stdio: 'pipe',
      serviceName: 'Clawdbot Gateway',
    });
    const tail = new TailBuffer();
    child.stderr?.setEncoding('utf8').on('data', (text: string) => tail.push(text));
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
