import type {
  EventName,
  EventPayload,
  InvokeChannel,
  InvokeInput,
  InvokeOutput,
} from '../src-shared/ipc/contract.js';
import type { Envelope } from '../src-shared/ipc/envelope.js';

/** The state of the line to the supervisor, shown in the UI when it is not simply "connected". */
export type ConnectionState =
  | 'connecting'
  | 'connected'
  | 'disconnected'
  | 'unauthorized'
  /** Too many failed sign-ins from this address: refused for a while, even with the token. */
  | 'locked-out';

/** How the renderer talks to the supervisor: Electron's preload bridge or web mode's WebSocket. */
export interface Transport {
  invoke<C extends InvokeChannel>(
    channel: C,
    input: InvokeInput<C>,
  ): Promise<Envelope<InvokeOutput<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  onConnection(listener: (state: ConnectionState) => void): () => void;
}
