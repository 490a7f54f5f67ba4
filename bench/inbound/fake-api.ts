/**
 * The fake Bot API in a process of its own, as Telegram is another machine: its CPU time is not
 * charged to the gateway's event loop. It serves the bots a bench names (bench/inbound: one polled
 * by the gateway and one drained by the baseline), and is driven from the bench over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { Update } from 'grammy/types';
import { FakeTelegramApi } from '../../test/fixtures/fake-telegram-api.js';
import { benchEntry } from '../lib/paths.js';
import { SENDERS, senderIds } from './context.js';

/** The flag that makes bench/inbound.ts run as the fake server (see runFakeApiChild). */
export const CHILD_FLAG = '--fake-api-child';

/** A bot the fake server serves, by the name the bench gave it (`gateway`, `baseline`, …). */
export type Bot = string;
/** Where a bot's API is served, and its token. */
export interface BotRoot {
  apiRoot: string;
  token: string;
}
type ChildRequest =
  | { type: 'start'; bots: readonly Bot[] }
  | { type: 'push'; bot: Bot; count: number }
  | { type: 'stamps'; bot: Bot; from: number; to: number }
  | { type: 'calls'; bot: Bot };
type ChildReply = { id: number; value: unknown };

/** Child mode's main: serve the bots the bench asks for and answer its requests. */
export function runFakeApiChild(): void {
  const apis: Record<Bot, FakeTelegramApi> = {};
  const api = (bot: Bot): FakeTelegramApi => {
    const served = apis[bot];
    if (!served) throw new Error(`no bot ${bot} was started`);
    return served;
  };
  let next = 0;
  const handle = async (msg: ChildRequest): Promise<unknown> => {
    switch (msg.type) {
      case 'start': {
        const roots: Record<Bot, BotRoot> = {};
        for (const [i, bot] of msg.bots.entries()) {
          // A token of its own per bot, so a client of one can never poll another.
          apis[bot] ??= await FakeTelegramApi.start({
            stampUpdates: true,
            token: `${900_000_001 + i}:AAH${bot.replace(/[^A-Za-z0-9]/g, '')}TokenForBenchOnly_0123456789`,
          });
          roots[bot] = { apiRoot: apis[bot].apiRoot, token: apis[bot].token };
        }
        return roots;
      }
      case 'push': {
        const server = api(msg.bot);
        const first = server.peekUpdateId();
        const date = Math.floor(Date.now() / 1000);
        const updates: Omit<Update, 'update_id'>[] = [];
        for (let i = 0; i < msg.count; i++) {
          const sender = senderIds[next++ % SENDERS]!;
          updates.push({
            message: {
              message_id: server.messageId(),
              date,
              chat: { id: sender, type: 'private', first_name: 'Sender' },
              from: { id: sender, is_bot: false, first_name: 'Sender', username: `s${sender}` },
              // The update id in the text lets the session step match the server's stamp.
              text: `u${first + i} hello there, how are you today?`,
            },
          });
        }
        server.pushUpdates(updates);
        return { first, last: first + msg.count - 1 };
      }
      case 'stamps': {
        const server = api(msg.bot);
        const out: number[] = [];
        for (let id = msg.from; id <= msg.to; id++) out.push(server.updateSentAt.get(id) ?? NaN);
        for (let id = msg.from; id <= msg.to; id++) server.updateSentAt.delete(id);
        return out;
      }
      case 'calls': {
        const server = api(msg.bot);
        const counts: Record<string, number> = {};
        for (const call of server.calls) counts[call.method] = (counts[call.method] ?? 0) + 1;
        server.calls.length = 0;
        return counts;
      }
    }
  };
  process.on('message', (msg: ChildRequest & { id: number }) => {
    void handle(msg).then((value) => process.send!({ id: msg.id, value } satisfies ChildReply));
  });
  process.on('disconnect', () => {
    void Promise.all(Object.values(apis).map((api) => api.close())).then(() => process.exit(0));
  });
}

/** The bench's handle on the fake server process. */
export class FakeApiProcess {
  private nextId = 1;
  private readonly pending = new Map<number, (value: unknown) => void>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: ChildReply) => {
      this.pending.get(reply.id)?.(reply.value);
      this.pending.delete(reply.id);
    });
  }

  /**
   * Starts the server process: a bench's entry (`bench/<entry>.ts`, which runs
   * {@link runFakeApiChild} when given {@link CHILD_FLAG}) in child mode.
   */
  static spawn(entry = 'inbound'): FakeApiProcess {
    // fork() passes on this process's tsx loader flags, so the child can load TypeScript.
    const child = fork(benchEntry(entry), [CHILD_FLAG], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new FakeApiProcess(child);
  }

  /** Starts serving `bots` (each a server of its own); resolves with where each is served. */
  roots<B extends Bot>(bots: readonly B[]): Promise<Record<B, BotRoot>> {
    return this.call({ type: 'start', bots });
  }

  /** Queues `count` DMs for `bot`; returns the first and last update id. */
  push(bot: Bot, count: number): Promise<{ first: number; last: number }> {
    return this.call({ type: 'push', bot, count });
  }

  /** When the server wrote the responses carrying updates `from`…`to` (`clock()` ms), once. */
  stamps(bot: Bot, from: number, to: number): Promise<number[]> {
    return this.call({ type: 'stamps', bot, from, to });
  }

  /** How often each Bot API method was called by `bot`'s client since the last call. */
  calls(bot: Bot): Promise<Record<string, number>> {
    return this.call({ type: 'calls', bot });
  }

  /** Disconnects, which makes the child close its servers and exit. */
  stop(): void {
    if (this.child.connected) this.child.disconnect();
  }

  private call<T>(msg: ChildRequest): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (value: unknown) => void);
      this.child.send({ ...msg, id });
    });
  }
}
