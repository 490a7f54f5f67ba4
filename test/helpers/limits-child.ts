import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ConfigInput } from '../../src-shared/config/schema.js';
import type { Supervisor } from '../../src-main/supervisor/supervisor.js';
import type { SupervisorOptions } from '../../src-main/supervisor/supervisor-options.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { createUsageRepo, usageDay, type UsageRow } from '../../src-main/store/usage-repo.js';
import { FakeTelegramApi } from '../fixtures/fake-telegram-api.js';
import {
  startScriptedModelServer,
  type ModelScript,
  type ScriptedModelServer,
  type ScriptedRequest,
} from '../fixtures/scripted-model-server.js';
import { afterEach } from 'vitest';
import { runCli, type CliResult } from './cli.js';
import { useSupervisors } from './supervisor.js';
import { startTelegramChild, type TelegramChild } from './telegram-child.js';
import { useTempStateDirs } from './temp-state.js';

/** The owner and an allowed friend, as the limits tests configure them. */
export const LIMITS_OWNER = 910100;
export const LIMITS_FRIEND = 910200;

/** The latest message the model was shown, without the wrapper that marks others' words. */
export function lastUser(request: ScriptedRequest): string {
  const last = request.messages.findLast((m) => m.role === 'user');
  const text = last?.role === 'user' ? last.text : '';
  return /^<untrusted-message[^>]*>\n([\s\S]*)\n<\/untrusted-message>$/.exec(text)?.[1] ?? text;
}

/** The gateway child with limits, the scripted model, and the clock its limits run on. */
export interface LimitsChild {
  g: TelegramChild;
  api: FakeTelegramApi;
  model: ScriptedModelServer;
  stateDir: string;
  /** Moves the gateway's clock (the test clock file) for its rates and daily budgets. */
  setClock(at: Date): void;
  /** A sender's usage row (`owner` or `telegram:<id>`) on the day of `at`, from SQLite. */
  usageRow(sender: string, at: Date): UsageRow | undefined;
  /** The texts of the model calls whose latest message starts with `prefix`, in order. */
  callsWith(prefix: string): string[];
  /** Runs `clawdbot` on this state directory and clock. */
  cli(args: string[]): Promise<CliResult>;
  close(): Promise<void>;
}

/**
 * Starts the built gateway under a real supervisor, Telegram polling a fake Bot API, the model
 * a scripted OpenAI-compatible server, with `owner` and `friend` configured, the given limits
 * and the clock file set to `at`. `open` comes from `useSupervisors()`, `stateDir` from
 * `useTempStateDirs()`; the clock file sits beside the state directory.
 */
export async function startLimitsChild(options: {
  script: ModelScript;
  limits?: ConfigInput['limits'];
  at: Date;
  stateDir: string;
  open: (options: Partial<SupervisorOptions> & { stateDir: string }) => Supervisor;
  allowFrom?: number[];
}): Promise<LimitsChild> {
  const api = await FakeTelegramApi.start({ username: 'helper_test_bot' });
  const model = await startScriptedModelServer(options.script);
  const { stateDir } = options;
  const clockFile = join(dirname(stateDir), 'clock');
  const setClock = (at: Date): void => writeFileSync(clockFile, at.toISOString());
  setClock(options.at);
  const g = await startTelegramChild({
    api,
    stateDir,
    config: {
      owner: { telegram: [String(LIMITS_OWNER)] },
      telegram: { allowFrom: (options.allowFrom ?? [LIMITS_FRIEND]).map(String) },
      agent: {
        model: { provider: 'openai', name: 'counted', baseUrl: model.baseUrlFor('openai') },
      },
      limits: options.limits ?? {},
    },
    env: { OPENAI_API_KEY: 'test-key', CLAWDBOT_TEST_CLOCK_FILE: clockFile },
    open: options.open,
  });
  return {
    g,
    api,
    model,
    stateDir,
    setClock,
    usageRow(sender, at) {
      const db = openDatabase(stateDir);
      try {
        return createUsageRepo(db)
          .rows(usageDay(at.getTime()).day)
          .find((row) => row.sender === sender);
      } finally {
        db.close();
      }
    },
    callsWith: (prefix) => model.requests.map(lastUser).filter((text) => text.startsWith(prefix)),
    cli: (args) =>
      runCli(args, {
        CLAWDBOT_STATE_DIR: stateDir,
        CLAWDBOT_CONFIG_PATH: '',
        CLAWDBOT_TEST_CLOCK_FILE: clockFile,
      }),
    async close() {
      await api.close();
      await model.close();
    },
  };
}

/** What a test chooses for its limits child; the rest comes from {@link useLimitsChildren}. */
export type LimitsChildOptions = Omit<Parameters<typeof startLimitsChild>[0], 'stateDir' | 'open'>;

/** Starts limits children on fresh state directories and stops everything after each test. */
export function useLimitsChildren(): (options: LimitsChildOptions) => Promise<LimitsChild> {
  const newStateDir = useTempStateDirs();
  const openSupervisor = useSupervisors();
  const running: LimitsChild[] = [];
  afterEach(async () => {
    for (const child of running.splice(0)) await child.close();
  });
  return async (options) => {
    const child = await startLimitsChild({
      ...options,
      stateDir: newStateDir(),
      open: openSupervisor,
    });
    running.push(child);
    return child;
  };
}
