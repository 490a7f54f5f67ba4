import { autoRetry } from '@grammyjs/auto-retry';
import { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { Envelope } from '../../../../src-shared/domain/envelope.js';
import type { TelegramConfig } from '../../../../src-shared/config/schema.js';
import { SendFailure } from '../../outbound/outbound-channel.js';
import type { ButtonRow, ProviderHost, ProviderRuntime } from '../provider-runtime.js';
import { LiveSince } from './live-since.js';
import { pollRetry } from './poll-retry.js';
import { retryDelayMs, sleep } from './retry-delay.js';
import { splitMessage } from './split-message.js';
import { classifyTelegramError, sendFailureOf } from './telegram-errors.js';
import { loadTelegramToken, type TokenSource } from './token.js';
import { messageToEnvelope, type BotIdentity } from './update-to-envelope.js';
import { describeError } from '../../../../src-shared/errors/describe-error.js';

/** Knobs tests and benches turn; the defaults are what the gateway runs with. */
export interface TelegramTuning {
  /** Wait before reconnect attempt `attempt` (default: 1 s doubling, capped at 60 s). */
  retryDelayMs?: (attempt: number, retryAfterMs: number | null) => number;
  /** Long-polling timeout passed to `getUpdates` (default 30 s). */
  pollTimeoutSeconds?: number;
  /** How often "typing…" is renewed; Telegram shows it for about 5 s (default 4 s). */
  typingIntervalMs?: number;
}

/** Options for one Telegram provider runtime. */
export interface TelegramRuntimeOptions extends TelegramTuning {
  telegram: TelegramConfig;
  source: TokenSource;
  host: ProviderHost;
}

/** One start of the provider, so a stop or a failure ends exactly the connection it belongs to. */
interface Connection {
  abort: AbortController;
  token: string | null;
  bot: Bot | null;
  /** The polling loop, while it runs. */
  polling: Promise<void> | null;
  /** Set once `getMe` succeeded and polling runs. */
  identity: BotIdentity | null;
  /** Updates dated before this (minus the slack) are history; moved on every (re)connect. */
  liveSince: LiveSince;
  typing: Set<NodeJS.Timeout>;
}

// Flood waits longer than this fail the call instead of holding the provider for minutes.
const MAX_FLOOD_WAIT_SECONDS = 60;
const MAX_FLOOD_RETRIES = 3;

/**
 * Telegram through grammY's Bot API client: `getMe`, then long polling in which each batch is
 * recorded in the gateway's inbox before Telegram is told it arrived, auto-retry for flood waits
 * (replies wait theirs in the outbox), and plain-text replies split at Telegram's limit. A
 * rejected token (401) or a competing poller (409) stops it with that reason; network failures
 * are retried with backoff while it reports `connecting` and the last error. The token never
 * leaves this object: every reported or logged error is redacted first.
 */
export class TelegramRuntime implements ProviderRuntime {
  readonly id = 'telegram' as const;
  private connection: Connection | null = null;
  private readonly retryDelay: (attempt: number, retryAfterMs: number | null) => number;

  constructor(private readonly options: TelegramRuntimeOptions) {
    this.retryDelay = options.retryDelayMs ?? retryDelayMs;
  }

  /**
   * Starts connecting in the background and returns at once: the gateway must come up even
   * when Telegram is unreachable, and the outcome arrives as a reported state.
   */
  start(): Promise<void> {
    if (this.connection) return Promise.resolve();
    const connection: Connection = {
      abort: new AbortController(),
      token: null,
      bot: null,
      polling: null,
      identity: null,
      liveSince: new LiveSince(),
      typing: new Set(),
    };
    this.connection = connection;
    void this.connect(connection).catch((error: unknown) =>
      this.fail(connection, `unexpected failure: ${this.describe(connection, error)}`),
    );
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    if (connection) await this.teardown(connection);
  }

  /** A bot has no session to forget: the token stays valid until the owner revokes it. */
  logout(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Sends a reply as plain text (no parse mode, so nothing in it is interpreted), in parts of at
   * most 4,096 characters. `threadId` keeps a reply inside a forum topic.
   */
  async send(chatId: string, text: string, options: { threadId?: string } = {}): Promise<void> {
    const connection = this.connection;
    const bot = connection?.identity ? connection.bot : null;
    if (!connection || !bot) throw new SendFailure('Telegram is not connected', 'transient');
    const extra = options.threadId ? { message_thread_id: Number(options.threadId) } : {};
    for (const part of splitMessage(text)) {
      try {
        await bot.api.sendMessage(chatId, part, extra);
      } catch (error) {
        // A new error without the original: its cause can carry the request URL, and the token.
        throw sendFailureOf(error, connection.token);
      }
    }
  }

  /**
   * Sends the owner a plain-text message with an inline keyboard under it (approvals, pairing
   * requests); resolves with its message id, so the buttons can be removed once decided.
   */
  async sendButtons(chatId: string, text: string, rows: readonly ButtonRow[]): Promise<string> {
    const connection = this.connection;
    const bot = connection?.identity ? connection.bot : null;
    if (!connection || !bot) throw new SendFailure('Telegram is not connected', 'transient');
    try {
      const sent = await bot.api.sendMessage(chatId, splitMessage(text)[0] ?? text, {
        reply_markup: {
          inline_keyboard: rows.map((row) =>
            row.map((button) => ({ text: button.label, callback_data: button.data })),
          ),
        },
      });
      return String(sent.message_id);
    } catch (error) {
      throw sendFailureOf(error, connection.token);
    }
  }

  /** Removes a message's inline keyboard and says what was decided in its place. */
  async clearButtons(chatId: string, messageId: string, text: string): Promise<void> {
    const connection = this.connection;
    const bot = connection?.identity ? connection.bot : null;
    if (!connection || !bot) throw new SendFailure('Telegram is not connected', 'transient');
    try {
      await bot.api.editMessageReplyMarkup(chatId, Number(messageId), {
        reply_markup: { inline_keyboard: [] },
      });
      await bot.api.sendMessage(chatId, text, {
        reply_parameters: { message_id: Number(messageId) },
      });
    } catch (error) {
      throw sendFailureOf(error, connection.token);
    }
  }

  /** Shows "typing…" in `chatId`, renewed every few seconds, until the returned function runs. */
  typing(chatId: string): () => void {
    const connection = this.connection;
    const bot = connection?.identity ? connection.bot : null;
    if (!connection || !bot) return () => undefined;
    const tick = (): void => {
      bot.api.sendChatAction(chatId, 'typing').catch((error: unknown) => {
        this.options.host.log.debug('typing indicator failed', {
          error: this.describe(connection, error),
        });
      });
    };
    tick();
    const timer = setInterval(tick, this.options.typingIntervalMs ?? 4_000);
    connection.typing.add(timer);
    return () => {
      clearInterval(timer);
      connection.typing.delete(timer);
    };
  }

  private async connect(connection: Connection): Promise<void> {
    const { host, telegram } = this.options;
    const signal = connection.abort.signal;
    const loaded = await loadTelegramToken(this.options.source);
    if ('error' in loaded) return this.fail(connection, loaded.error);
    connection.token = loaded.token;
    if (signal.aborted) return;

    let bot: Bot;
    try {
      // grammY refuses an apiRoot with a trailing slash; the config accepts any http(s) URL.
      const apiRoot = telegram.apiRoot?.replace(/\/+$/, '');
      bot = new Bot(loaded.token, apiRoot ? { client: { apiRoot } } : {});
    } catch (error) {
      return this.fail(
        connection,
        `cannot set up the Telegram client: ${this.describe(connection, error)}`,
      );
    }
    const waitOutFloods = autoRetry({
      maxRetryAttempts: MAX_FLOOD_RETRIES,
      maxDelaySeconds: MAX_FLOOD_WAIT_SECONDS,
      // Network failures are retried where they can be reported (below and in pollRetry).
      rethrowHttpErrors: true,
    });
    // A reply waits out a flood limit in the outbox (its wait survives a restart and holds up only
    // its chat); every other call waits here.
    bot.api.config.use((prev, method, payload, signal) =>
      method === 'sendMessage'
        ? prev(method, payload, signal)
        : waitOutFloods(prev, method, payload, signal),
    );
    bot.api.config.use(
      pollRetry({
        token: loaded.token,
        delayMs: this.retryDelay,
        onRetrying: (reason, delayMs) => {
          if (this.connection !== connection) return;
          host.log.warn('polling failed; retrying', { error: reason, retryInMs: delayMs });
          host.report({ state: 'connecting', lastError: reason });
        },
        onRecovered: () => {
          if (this.connection !== connection) return;
          // Called before the updates of the poll that worked are handed on: what Telegram kept
          // for us during the outage is judged against this new start, and is history.
          connection.liveSince.connected();
          if (!connection.identity) return;
          host.log.info('polling recovered');
          host.report({ state: 'connected', account: `@${connection.identity.username}` });
        },
      }),
    );
    connection.bot = bot;

    // grammY types its signals with a polyfill's AbortSignal; Node's is the same thing at runtime.
    const apiSignal = signal as unknown as Parameters<Bot['api']['getMe']>[0];
    for (let attempt = 0; ; attempt++) {
      try {
        const me = await bot.api.getMe(apiSignal);
        // Polling fails with 409 while a webhook is set: remove it (keeping its pending updates).
        await bot.api.deleteWebhook({ drop_pending_updates: false }, apiSignal);
        bot.botInfo = me;
        break;
      } catch (error) {
        if (signal.aborted) return;
        const failure = classifyTelegramError(error, loaded.token);
        if (failure.fatal) return this.fail(connection, failure.reason);
        const delay = this.retryDelay(attempt, failure.retryAfterMs);
        host.log.warn('cannot reach Telegram; retrying', {
          error: failure.reason,
          retryInMs: delay,
        });
        host.report({ state: 'connecting', lastError: failure.reason });
        try {
          await sleep(delay, signal);
        } catch {
          // The wait was cut by a stop (the signal aborted): nothing to retry any more.
          return;
        }
      }
    }
    if (signal.aborted) return;

    const identity: BotIdentity = { id: bot.botInfo.id, username: bot.botInfo.username };
    connection.liveSince.connected();
    connection.identity = identity;
    const polling = this.poll(connection, bot, identity, loaded.token).catch(
      (error: unknown) => `polling stopped: ${this.describe(connection, error)}`,
    );
    connection.polling = polling.then(() => undefined);
    // Failed once the loop has ended: the teardown waits for the loop, which is over by then.
    void polling.then((reason) => (reason === null ? undefined : this.fail(connection, reason)));
    host.log.info('connected', { account: `@${identity.username}` });
    host.report({ state: 'connected', account: `@${identity.username}` });
  }

  /**
   * Long polling with the offset in our hands: each batch of updates is recorded in the inbox
   * first, and only the next `getUpdates` (asking from past the batch) confirms it to Telegram.
   * A crash before the recording commits leaves the batch unconfirmed, and Telegram hands it out
   * again to the next start (the inbox recognises what it already has). Transient failures are
   * retried inside `getUpdates` (pollRetry); what reaches here stops the provider. Resolves with
   * the reason to stop with, or null once stopped.
   */
  private async poll(
    connection: Connection,
    bot: Bot,
    identity: BotIdentity,
    token: string,
  ): Promise<string | null> {
    const { host } = this.options;
    const { liveSince } = connection;
    const signal = connection.abort.signal;
    const apiSignal = signal as unknown as Parameters<Bot['api']['getUpdates']>[1];
    const timeout = this.options.pollTimeoutSeconds ?? 30;
    // 0: from the last update Telegram had confirmed, which is where the last run left off.
    let offset = 0;
    let recordFailures = 0;
    while (!signal.aborted) {
      let updates: Update[];
      try {
        updates = await bot.api.getUpdates(
          { offset, limit: 100, timeout, allowed_updates: ['message', 'callback_query'] },
          apiSignal,
        );
      } catch (error) {
        if (signal.aborted) return null;
        const failure = classifyTelegramError(error, token);
        return failure.fatal ? failure.reason : `polling stopped: ${failure.reason}`;
      }
      if (updates.length === 0) continue;
      // Live or history is decided as an update arrives: what Telegram kept for us while we
      // could not poll is history (pollRetry moved the cutoff before this batch came back).
      const since = liveSince.value;
      const envelopes: Envelope[] = [];
      for (const update of updates) {
        if (update.callback_query) await this.pressed(bot, update.callback_query, token);
        if (!update.message) continue;
        liveSince.observe(update.message.date * 1000);
        const envelope = messageToEnvelope(update.message, update.update_id, identity, since);
        if (envelope) envelopes.push(envelope);
      }
      try {
        await host.inbound(envelopes);
        recordFailures = 0;
      } catch (error) {
        // Not recorded, so not confirmed: the next poll asks from the same offset, and Telegram
        // hands the same updates out again.
        const delay = this.retryDelay(recordFailures++, null);
        host.log.error('could not record inbound messages; polling them again', {
          error: describeError(error),
          retryInMs: delay,
        });
        try {
          await sleep(delay, signal);
        } catch {
          // Cut by a stop: the batch was never confirmed, so Telegram hands it out again.
          return null;
        }
        continue;
      }
      offset = updates[updates.length - 1]!.update_id + 1;
    }
    return null;
  }

  /**
   * A button under one of the bot's messages was pressed: the gateway decides what it means
   * (and whether the presser may), and Telegram is told the answer so the spinner stops.
   */
  private async pressed(
    bot: Bot,
    query: NonNullable<Update['callback_query']>,
    token: string,
  ): Promise<void> {
    const { host } = this.options;
    let answer = 'This button does nothing.';
    if (host.buttonPress && query.data && query.message) {
      try {
        answer = await host.buttonPress({
          provider: 'telegram',
          fromId: String(query.from.id),
          data: query.data,
          chatId: String(query.message.chat.id),
          messageId: String(query.message.message_id),
        });
      } catch (error) {
        answer = 'That did not work; see the log.';
        host.log.error('a button press failed', { error: describeError(error) });
      }
    }
    await bot.api.answerCallbackQuery(query.id, { text: answer }).catch((error: unknown) => {
      host.log.warn('could not answer a button press', {
        error: classifyTelegramError(error, token).reason,
      });
    });
  }

  /** Stops the connection, then reports why: a failed provider never keeps polling. */
  private async fail(connection: Connection, reason: string): Promise<void> {
    if (this.connection !== connection) return;
    this.connection = null;
    await this.teardown(connection);
    this.options.host.log.error('Telegram provider stopped', { reason });
    this.options.host.report({ state: 'error', lastError: reason });
  }

  private async teardown(connection: Connection): Promise<void> {
    connection.abort.abort();
    for (const timer of connection.typing) clearInterval(timer);
    connection.typing.clear();
    const polling = connection.polling;
    connection.polling = null;
    await polling;
  }

  private describe(connection: Connection, error: unknown): string {
    return classifyTelegramError(error, connection.token).reason;
  }
}
