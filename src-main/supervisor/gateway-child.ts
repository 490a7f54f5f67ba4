import { redactSecrets } from '../logging/redact.js';
import type { SupervisorToGateway } from '../../src-shared/gateway-protocol.js';

/**
 * A running gateway child as the supervisor sees it, whatever started it: Node's
 * `child_process.fork` headless, Electron's `utilityProcess.fork` in the desktop app.
 */
export interface GatewayChild {
  /** Known at once under Node; under Electron only after the process has spawned. */
  readonly pid: number | undefined;
  /** Called once the OS process exists, with its pid. */
  onSpawn(listener: (pid: number) => void): void;
  send(message: SupervisorToGateway): void;
  /** Raw messages; the supervisor validates them against the gateway protocol. */
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** The last few KiB the child wrote to stderr. */
  stderrTail(): string;
}

/** Starts a gateway child with the given environment. */
export type GatewayLauncher = (env: NodeJS.ProcessEnv) => GatewayChild;

/** Keeps the last `limit` characters of a stream, for crash diagnostics. */
export class TailBuffer {
  private text = '';
  constructor(private readonly limit = 4096) {}
  push(chunk: string): void {
    // The tail is shown in the UI and stored: never keep a secret a crash printed.
    this.text = redactSecrets(this.text + chunk).slice(-this.limit);
  }
  toString(): string {
    return this.text;
  }
}
