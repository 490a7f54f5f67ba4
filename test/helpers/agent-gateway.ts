import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type Docker from 'dockerode';
import type { ConfigInput } from '../../src-shared/config/schema.js';
import type { ConsoleMessage } from '../../src-shared/domain/provider-status.js';
import type { TranscriptEvent } from '../../src-shared/domain/transcript.js';
import { composeGateway, type Gateway } from '../../src-main/gateway/gateway-composition.js';
import { silentLogger } from '../../src-main/logging/logger.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { createSessionsRepo } from '../../src-main/store/sessions-repo.js';
import { dm, writeConfig } from './gateway-harness.js';
import { approveEverything } from './approve-all.js';

/** The real gateway services (access pipeline, agent, sessions, sandboxes), minus providers. */
export interface AgentGateway {
  services: Gateway;
  db: Database;
  stateDir: string;
  /** What each chat was sent back. */
  sent: { chatId: string; text: string }[];
  /** What the owner's console was told. */
  console: ConsoleMessage[];
  /** Every transcript event, as live views get them. */
  events: TranscriptEvent[];
  /** Sends a Telegram DM through the whole pipeline; resolves once every message was answered. */
  telegramDm(senderId: string, text: string): Promise<string[]>;
  /** The owner types in the console (the `main` session); resolves with the answers. */
  ownerConsole(text: string): Promise<string[]>;
  transcript(sessionKey: string): TranscriptEvent[];
  stop(): Promise<void>;
}

/**
 * Starts the gateway's services on a real state directory and database with the given config.
 * Telegram "sends" are recorded; everything else (model clients speaking HTTP to the scripted
 * server, Docker sandboxes, SQLite) is real.
 */
export async function startAgentGateway(options: {
  stateDir: string;
  config: ConfigInput;
  env?: NodeJS.ProcessEnv;
  docker?: Docker;
  /** The gateway's clock (default: the system's). */
  now?: () => number;
  /**
   * An owner who allows every command that asks (`agent.approvals`), for tests of something
   * else that run host or elevated commands.
   */
  ownerApproves?: boolean;
}): Promise<AgentGateway> {
  mkdirSync(options.stateDir, { recursive: true, mode: 0o700 });
  writeConfig(options.stateDir, options.config);
  const db = openDatabase(options.stateDir);
  const sent: AgentGateway['sent'] = [];
  const consoleLines: ConsoleMessage[] = [];
  const events: TranscriptEvent[] = [];
  const services = composeGateway({
    db,
    stateDir: options.stateDir,
    configPath: join(options.stateDir, 'clawdbot.json'),
    log: silentLogger,
    factories: {},
    events: {
      providers: () => undefined,
      console: (message) => consoleLines.push(message),
      sessionEvent: (event) => events.push(event),
    },
    env: options.env ?? { PATH: process.env['PATH'] },
    docker: options.docker,
    now: options.now,
  });
  await services.start();
  const owner = options.ownerApproves ? approveEverything(options.stateDir) : null;
  services.outbound.registerChannel({
    provider: 'telegram',
    send: (chatId, text) => Promise.resolve(void sent.push({ chatId, text })),
  });
  const repo = createSessionsRepo(db);
  return {
    services,
    db,
    stateDir: options.stateDir,
    sent,
    console: consoleLines,
    events,
    async telegramDm(senderId, text) {
      const before = sent.length;
      await services.inbound.handleInbound(dm(senderId, text));
      await services.inbound.idle();
      return sent
        .slice(before)
        .filter((s) => s.chatId === senderId)
        .map((s) => s.text);
    },
    async ownerConsole(text) {
      const before = consoleLines.length;
      await services.consoleMessage(text);
      await services.inbound.idle();
      return consoleLines.slice(before).map((m) => m.text);
    },
    transcript: (sessionKey) => repo.events(sessionKey, { limit: 5000 }),
    async stop() {
      owner?.stop();
      await services.stop();
      db.close();
    },
  };
}
