import {
  BufferJSON,
  DisconnectReason,
  generateMessageIDV2,
  useMultiFileAuthState,
  type BaileysEventMap,
  type WAMessage,
  type WAPresence,
} from '@whiskeysockets/baileys';
import type { Envelope } from '../../../../src-shared/domain/envelope.js';
import type { ProviderHost } from '../provider-runtime.js';
import { clearAuthState, openAuthState, type TrackedAuthState } from './auth-state.js';
import { chatIdToJid, e164, messageToEnvelope, type OwnAccount } from './message-to-envelope.js';
import { ReconnectBackoff } from './reconnect-backoff.js';
import {
  baileysLogger,
  loadSocketFactory,
  socketConfig,
  type WhatsAppSocket,
  type WhatsAppSocketFactory,
} from './socket-factory.js';
import { describeError } from '../../../../src-shared/errors/describe-error.js';
import { systemTimers, type TimerHandle, type Timers } from '../../../process/timers.js';

/** How the connection is built; tests shorten the waits and swap the socket. */
export interface WhatsAppConnectionOptions {
  host: ProviderHost;
  /** The socket boundary; default: `CLAWDBOT_WHATSAPP_SOCKET_MODULE` or Baileys' makeWASocket. */
  makeSocket?: WhatsAppSocketFactory;
  reconnectDelaysMs?: readonly number[];
  stableConnectionMs?: number;
  now?: () => number;
  /** Where reconnects are scheduled (tests look at what is pending). */
  timers?: Timers;
  env?: NodeJS.ProcessEnv;
  /**
   * How long `stop` and `logout` wait for messages still being recorded before they go on
   * without them (default 2 s, inside the supervisor's 3 s grace before it kills the gateway).
   */
  drainTimeoutMs?: number;
}

// WhatsApp shows "typing…" for a while after a `composing` update; refresh it before it lapses.
const TYPING_REFRESH_MS = 10_000;
// Enough ids to recognise our replies when Baileys echoes them back, without growing forever.
const SENT_IDS_KEPT = 500;
const DRAIN_TIMEOUT_MS = 2_000;

type ConnectionUpdate = BaileysEventMap['connection.update'];
type MessagesUpsert = BaileysEventMap['messages.upsert'];

/**
 * One linked device's connection: opens the socket on the saved auth state, reports QR codes and
 * the linked number, reconnects with backoff after every close except a logout (which removes
 * the link), turns incoming messages into envelopes, and sends replies with typing presence.
 */
export class WhatsAppConnection {
  private readonly host: ProviderHost;
  private readonly backoff: ReconnectBackoff;
  private readonly now: () => number;
  private readonly sentIds = new Set<string>();
  private readonly typingTimers = new Set<NodeJS.Timeout>();
  private auth: TrackedAuthState | null = null;
  private makeSocket: WhatsAppSocketFactory | null = null;
  private sock: WhatsAppSocket | null = null;
  private detachSocket: (() => void) | null = null;
  private me: OwnAccount | null = null;
  private connectedAt: number | null = null;
  private reconnectTimer: TimerHandle | null = null;
  /** Per chat (`remoteJid`), the tail of its queue of messages being handled, while busy. */
  private readonly chats = new Map<string, Promise<void>>();
  private stopped = false;
  private readonly timers: Timers;

  constructor(private readonly options: WhatsAppConnectionOptions) {
    this.host = options.host;
    this.now = options.now ?? Date.now;
    this.timers = options.timers ?? systemTimers;
    this.backoff = new ReconnectBackoff(
      options.reconnectDelaysMs,
      options.stableConnectionMs,
      this.now,
    );
  }

  /** Opens the auth state and the first socket; failures become an `error` state. */
  async start(): Promise<void> {
    try {
      this.makeSocket = this.options.makeSocket ?? (await loadSocketFactory(this.options.env));
      this.auth = await openAuthState(
        this.host.stateDir,
        useMultiFileAuthState,
        BufferJSON.replacer,
      );
    } catch (error) {
      this.stopped = true;
      this.host.log.error('whatsapp could not start', { error: describeError(error) });
      this.host.report({
        state: 'error',
        lastError: `WhatsApp could not start: ${describeError(error)}`,
      });
      return;
    }
    this.connect();
  }

  /** Closes the socket and stops reconnecting; the link stays for the next start. */
  async stop(): Promise<void> {
    const sock = this.halt();
    // A socket that fails to end is already closed or dropped: nothing of it is needed any more.
    await sock?.end(undefined).catch(() => undefined);
    await this.settle();
  }

  /** Unlinks this device (tells WhatsApp when connected) and removes the saved link. */
  async logout(): Promise<void> {
    const sock = this.halt();
    if (sock) {
      await sock.logout().catch((error: unknown) => {
        this.host.log.warn('whatsapp did not confirm the logout; removing the local link anyway', {
          error: describeError(error),
        });
      });
    }
    await this.settle();
    await clearAuthState(this.host.stateDir);
  }

  /** Sends a text, showing "typing…" while it goes out. */
  async send(chatId: string, text: string): Promise<void> {
    const sock = this.sock;
    if (!sock || this.connectedAt === null) throw new Error('WhatsApp is not connected');
    const jid = chatIdToJid(chatId);
    await this.presence(sock, 'composing', jid);
    try {
      // Our id, chosen before sending: Baileys echoes sent messages back (possibly before
      // sendMessage resolves), and in the self-chat an echo must not count as the owner writing.
      const messageId = generateMessageIDV2(sock.user?.id);
      this.rememberSent(messageId);
      await sock.sendMessage(jid, { text }, { messageId });
    } finally {
      await this.presence(sock, 'paused', jid);
    }
  }

  /** Resolves once every message received so far has been recorded (or ignored), in every chat. */
  async idle(): Promise<void> {
    // Each chat's failures are logged where they happen (recordMessages); only the end counts here.
    await Promise.all([...this.chats.values()].map((tail) => tail.catch(() => undefined)));
  }

  /** Shows "typing…" in a chat until the returned function is called. */
  typing(chatId: string): () => void {
    const sock = this.sock;
    if (!sock || this.connectedAt === null) return () => undefined;
    const jid = chatIdToJid(chatId);
    void this.presence(sock, 'composing', jid);
    const timer = setInterval(() => void this.presence(sock, 'composing', jid), TYPING_REFRESH_MS);
    this.typingTimers.add(timer);
    return () => {
      if (!this.typingTimers.delete(timer)) return;
      clearInterval(timer);
      if (this.sock === sock) void this.presence(sock, 'paused', jid);
    };
  }

  private connect(): void {
    if (this.stopped || !this.auth || !this.makeSocket) return;
    let sock: WhatsAppSocket;
    try {
      sock = this.makeSocket(socketConfig(this.auth.state, baileysLogger(this.host.log)));
    } catch (error) {
      this.scheduleReconnect(undefined, error);
      return;
    }
    const auth = this.auth;
    const onConnection = (update: ConnectionUpdate): void => this.onConnectionUpdate(sock, update);
    // The update itself holds key material: it is saved, never logged.
    const onCreds = (): void =>
      void auth.saveCreds().catch((error: unknown) =>
        this.host.log.error('could not save whatsapp credentials', {
          error: describeError(error),
        }),
      );
    const onMessages = (upsert: MessagesUpsert): void => this.onMessages(sock, upsert);
    sock.ev.on('connection.update', onConnection);
    sock.ev.on('creds.update', onCreds);
    sock.ev.on('messages.upsert', onMessages);
    this.sock = sock;
    this.detachSocket = () => {
      sock.ev.off('connection.update', onConnection);
      sock.ev.off('creds.update', onCreds);
      sock.ev.off('messages.upsert', onMessages);
    };
  }

  private onConnectionUpdate(sock: WhatsAppSocket, update: ConnectionUpdate): void {
    if (sock !== this.sock || this.stopped) return;
    if (update.qr) this.host.report({ state: 'qr', qr: update.qr });
    if (update.connection === 'open') {
      const user = sock.user;
      this.me = user ? { id: user.id, lid: user.lid ?? null } : null;
      this.connectedAt = this.now();
      this.backoff.opened();
      const account = e164(user?.id);
      this.host.log.info('whatsapp connected', { account });
      this.host.report({ state: 'connected', account });
    } else if (update.connection === 'close') {
      void this.onClose(update.lastDisconnect?.error);
    }
  }

  private async onClose(error: Error | undefined): Promise<void> {
    this.dropSocket();
    if (statusCodeOf(error) !== DisconnectReason.loggedOut) {
      this.scheduleReconnect(statusCodeOf(error), error);
      return;
    }
    // Unlinked from the phone (or by WhatsApp): the saved keys are dead; keep nothing.
    this.stopped = true;
    await this.settle();
    await clearAuthState(this.host.stateDir).catch((e: unknown) =>
      this.host.log.error('could not remove the whatsapp link', { error: describeError(e) }),
    );
    this.host.log.warn('whatsapp logged this device out; the saved link was removed');
    this.host.report({
      state: 'logged-out',
      lastError: 'WhatsApp logged this device out: link it again',
    });
  }

  private scheduleReconnect(statusCode: number | undefined, error: unknown): void {
    if (this.stopped) return;
    // 515 is how WhatsApp finishes linking a device: the new credentials need a fresh socket.
    // It is part of the normal flow, so reconnect at once and say nothing.
    const restart = statusCode === DisconnectReason.restartRequired;
    const delay = restart ? 0 : this.backoff.nextDelay();
    if (restart) this.host.report({ state: 'connecting' });
    else {
      const reason = closeReason(statusCode, error);
      this.host.log.warn('whatsapp connection closed; reconnecting', { reason, delayMs: delay });
      this.host.report({ state: 'connecting', lastError: reason });
    }
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private onMessages(sock: WhatsAppSocket, { messages, type }: MessagesUpsert): void {
    if (sock !== this.sock || this.stopped) return;
    // Each chat's messages are recorded in the order they came (the inbox handles them in that
    // order); chats side by side, so a slow sender lookup in one holds up no other.
    const byChat = new Map<string, WAMessage[]>();
    for (const message of messages) {
      const chat = message.key.remoteJid ?? '';
      const queued = byChat.get(chat);
      if (queued) queued.push(message);
      else byChat.set(chat, [message]);
    }
    for (const [chat, queued] of byChat) {
      const tail = (this.chats.get(chat) ?? Promise.resolve()).then(() =>
        this.recordMessages(sock, queued, type),
      );
      this.chats.set(chat, tail);
      // recordMessages never rejects; the catch only keeps a surprise from going unhandled.
      void tail
        .catch(() => undefined)
        .finally(() => {
          if (this.chats.get(chat) === tail) this.chats.delete(chat);
        });
    }
  }

  /**
   * Turns a chat's messages into envelopes and records them in the gateway's inbox, before
   * anything else is done with them: a message the gateway stops or crashes while answering is
   * answered by the next start. (Baileys has sent WhatsApp's delivery receipt just before it
   * emits a message; the inbox write follows within the same handling.) Never rejects.
   */
  private async recordMessages(
    sock: WhatsAppSocket,
    messages: readonly WAMessage[],
    type: MessagesUpsert['type'],
  ): Promise<void> {
    const user = sock.user;
    const me = this.me ?? (user ? { id: user.id, lid: user.lid ?? null } : null);
    // Without knowing who we are, our own messages cannot be told apart: answer nothing.
    if (!me) return;
    const envelopes: Envelope[] = [];
    for (const message of messages) {
      try {
        const result = await messageToEnvelope(message, {
          upsertType: type,
          me,
          connectedAt: sock === this.sock ? this.connectedAt : null,
          sentByUs: (id) => this.sentIds.has(id),
          pnForLid: sock.signalRepository
            ? (lid) => sock.signalRepository!.lidMapping.getPNForLID(lid)
            : undefined,
          now: this.now,
        });
        if ('ignored' in result) {
          this.host.log.debug('whatsapp message ignored', { reason: result.ignored });
          continue;
        }
        envelopes.push(result.envelope);
      } catch (error) {
        this.host.log.warn('whatsapp message not handled', { error: describeError(error) });
      }
    }
    if (envelopes.length === 0) return;
    try {
      await this.host.inbound(envelopes);
    } catch (error) {
      // WhatsApp will not hand these out again: say so loudly, with how many were lost.
      this.host.log.error('whatsapp messages could not be recorded', {
        count: envelopes.length,
        error: describeError(error),
      });
    }
  }

  private async presence(sock: WhatsAppSocket, type: WAPresence, jid: string): Promise<void> {
    // Presence is a courtesy: failing to show "typing…" must never fail the reply.
    await sock
      .sendPresenceUpdate(type, jid)
      .catch((error: unknown) =>
        this.host.log.debug('whatsapp presence update failed', { error: describeError(error) }),
      );
  }

  private rememberSent(messageId: string): void {
    this.sentIds.add(messageId);
    if (this.sentIds.size > SENT_IDS_KEPT) {
      const oldest = this.sentIds.values().next().value;
      if (oldest !== undefined) this.sentIds.delete(oldest);
    }
  }

  /** Stops everything that would act later; returns the socket that was open, if any. */
  private halt(): WhatsAppSocket | null {
    this.stopped = true;
    if (this.reconnectTimer) this.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    for (const timer of this.typingTimers) clearInterval(timer);
    this.typingTimers.clear();
    const sock = this.sock;
    this.dropSocket();
    return sock;
  }

  private dropSocket(): void {
    this.detachSocket?.();
    this.detachSocket = null;
    this.sock = null;
    this.connectedAt = null;
  }

  /**
   * Waits for messages still being recorded, but not forever: a sender lookup that never returns
   * must not hold up a stop. Then waits for credential writes, so no key material is written after
   * we return.
   */
  private async settle(): Promise<void> {
    if (this.chats.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const drained = await Promise.race([
        this.idle().then(() => true),
        new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), this.options.drainTimeoutMs ?? DRAIN_TIMEOUT_MS);
        }),
      ]);
      clearTimeout(timer);
      if (!drained) {
        this.host.log.warn('whatsapp stopped with messages still being recorded', {
          chats: this.chats.size,
        });
      }
    }
    await this.auth?.settled();
  }
}

function statusCodeOf(error: unknown): number | undefined {
  // Baileys closes with a Boom: the status code is in `output.statusCode`.
  const output = (error as { output?: { statusCode?: unknown } } | undefined)?.output;
  return typeof output?.statusCode === 'number' ? output.statusCode : undefined;
}

function closeReason(statusCode: number | undefined, error: unknown): string {
  const name =
    statusCode !== undefined ? (DisconnectReason as Record<number, string>)[statusCode] : undefined;
  const code = statusCode !== undefined ? ` (${statusCode}${name ? ` ${name}` : ''})` : '';
  const message = error ? `: ${describeError(error)}` : '';
  return `WhatsApp connection closed${code}${message}`.slice(0, 300);
}
