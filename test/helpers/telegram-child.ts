import { join } from 'node:path';
import type { ConfigInput } from '../../src-shared/config/schema.js';
import type { TranscriptEvent } from '../../src-shared/domain/transcript.js';
import type { Supervisor } from '../../src-main/supervisor/supervisor.js';
import type { SupervisorOptions } from '../../src-main/supervisor/supervisor-options.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { createSessionsRepo } from '../../src-main/store/sessions-repo.js';
import type { FakeTelegramApi } from '../fixtures/fake-telegram-api.js';
import { writeConfig } from './gateway-harness.js';
import { waitForState } from './supervisor.js';
import { waitFor } from './wait.js';

/**
 * A chat message as a test writes it: who, and what. A leading command gets its `bot_command`
 * entity, so `/cmd@bot_name` addresses the bot by name as Telegram clients do.
 */
export interface ChildGroupMessage {
  from: number;
  text: string;
}

/** The real gateway child under a supervisor, its Telegram provider polling a fake Bot API. */
export interface TelegramChild {
  supervisor: Supervisor;
  stateDir: string;
  /**
   * Writes in a group through the Bot API and resolves with the bot's next `answers` messages to
   * that group (one chat is handled in order, so an answer also proves what came before it was).
   */
  group(chatId: number, message: ChildGroupMessage, answers?: number): Promise<string[]>;
  /** Writes several messages at once (no answer awaited). */
  push(chatId: number, messages: ChildGroupMessage[]): void;
  /** Writes a DM (a chat with the sender's own id) and resolves with the bot's next `answers`. */
  dm(from: number, text: string, answers?: number): Promise<string[]>;
  /** Everything the bot sent to a chat so far. */
  sentTo(chatId: number): string[];
  /** A session's transcript, read from SQLite as the CLI reads it. */
  transcript(sessionKey: string): TranscriptEvent[];
  /** Sets a session's elevated flag from outside, as an older version left it. */
  setElevated(sessionKey: string, on: boolean): void;
}

/** How long one answered turn may take: the first sandboxed tool call starts a container. */
export const CHILD_TURN_TIMEOUT_MS = 60_000;

/**
 * Starts the built gateway as a child of a real supervisor, with the config given plus the fake
 * Bot API's token and address, and waits until Telegram is connected. `open` is a supervisor
 * opener from `useSupervisors()`, which also closes it after the test. The child's environment
 * is this process's (so `DOCKER_HOST` reaches its sandboxes) plus `env`.
 */
export async function startTelegramChild(options: {
  api: FakeTelegramApi;
  stateDir: string;
  config: ConfigInput;
  env?: NodeJS.ProcessEnv;
  open: (options: Partial<SupervisorOptions> & { stateDir: string }) => Supervisor;
}): Promise<TelegramChild> {
  const { api, stateDir, config } = options;
  writeConfig(stateDir, {
    ...config,
    telegram: { ...config.telegram, botToken: api.token, apiRoot: api.apiRoot },
  });
  const supervisor = options.open({
    stateDir,
    env: {
      ...process.env,
      CLAWDBOT_CONFIG_PATH: '',
      CLAWDBOT_LOG_FILE: join(stateDir, 'log-YYYY-MM-DD.log'),
      ...options.env,
    },
  });
  supervisor.startGateway();
  await waitForState(supervisor, 'running');
  await waitFor('Telegram connected in the child', () =>
    supervisor.relay.providers().some((s) => s.provider === 'telegram' && s.state === 'connected'),
  );

  // As on Telegram: a group's id is negative, a DM's is the (positive) id of the person.
  const update = (chatId: number, message: ChildGroupMessage) => {
    const command = /^\/\S+/.exec(message.text)?.[0];
    return {
      message: {
        message_id: api.messageId(),
        date: Math.floor(Date.now() / 1000),
        chat:
          chatId > 0
            ? { id: chatId, type: 'private', first_name: `Member ${message.from}` }
            : { id: chatId, type: 'supergroup', title: `Group ${chatId}` },
        from: { id: message.from, is_bot: false, first_name: `Member ${message.from}` },
        text: message.text,
        ...(command
          ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] }
          : {}),
      },
    } as unknown as Parameters<FakeTelegramApi['pushUpdate']>[0];
  };
  const sentTo = (chatId: number): string[] =>
    api.sent.filter((m) => m.chat_id === String(chatId)).map((m) => m.text);
  const db = () => openDatabase(stateDir);

  const write = async (chatId: number, message: ChildGroupMessage, answers: number) => {
    const before = sentTo(chatId).length;
    api.pushUpdate(update(chatId, message));
    await waitFor(
      `${answers} answer(s) in ${chatId} to ${JSON.stringify(message.text)}`,
      () => sentTo(chatId).length >= before + answers,
      CHILD_TURN_TIMEOUT_MS,
    );
    return sentTo(chatId).slice(before);
  };

  return {
    supervisor,
    stateDir,
    group: (chatId, message, answers = 1) => write(chatId, message, answers),
    dm: (from, text, answers = 1) => write(from, { from, text }, answers),
    push(chatId, messages) {
      api.pushUpdates(messages.map((m) => update(chatId, m)));
    },
    sentTo,
    transcript(sessionKey) {
      const handle = db();
      try {
        return createSessionsRepo(handle).events(sessionKey, { limit: 5000 });
      } finally {
        handle.close();
      }
    },
    setElevated(sessionKey, on) {
      const handle = db();
      try {
        createSessionsRepo(handle).setElevated(sessionKey, on);
      } finally {
        handle.close();
      }
    },
  };
}
