import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelKeyStore } from '../../src-main/supervisor/model-admin.js';
import {
  startScriptedModelServer,
  type ScriptedModelServer,
} from '../fixtures/scripted-model-server.js';
import { readAllLogText } from '../helpers/log-files.js';
import { useSupervisors, waitForState } from '../helpers/supervisor.js';
import { useTempStateDirs } from '../helpers/temp-state.js';
import { waitFor } from '../helpers/wait.js';

// Shapes the redactor would catch anyway are avoided: these must be hidden because they are keys.
const KEY = 'keychain-canary-7f3a9c2e41d8';
const NEW_KEY = 'keychain-canary-second-55b0e1';

/** The desktop app's keychain, in memory: `safeStorage` needs Electron, which cannot run here. */
function memoryKeyStore(initial: string | null): ModelKeyStore {
  let stored = initial;
  return {
    load: () => stored,
    save: (key) => {
      stored = key;
    },
    clear: () => {
      stored = null;
    },
    plaintext: () => false,
  };
}

/** The environment a process was started with, as the owner's host tools can read it. */
function environOf(pid: number): string {
  return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').join('\n');
}

/**
 * A model key kept in the desktop keychain reaches the gateway over its IPC channel, never
 * through its environment: the real supervisor, the real gateway child, the OpenAI client over
 * HTTP to the scripted model server, and the log files.
 */
describe.skipIf(process.platform !== 'linux')('the keychain key on its way to the gateway', () => {
  const stateDirs = useTempStateDirs();
  const supervisors = useSupervisors();
  let model: ScriptedModelServer;
  let reply = 'ok';

  beforeAll(async () => {
    model = await startScriptedModelServer(() => ({ text: reply }));
  });
  afterAll(async () => {
    await model?.close();
  });

  function setup(): { stateDir: string; logDir: string; env: NodeJS.ProcessEnv } {
    const stateDir = stateDirs();
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    writeFileSync(
      join(stateDir, 'clawdbot.json'),
      JSON.stringify({
        agent: {
          model: { provider: 'openai', name: 'scripted', baseUrl: model.baseUrlFor('openai') },
        },
      }),
    );
    const logDir = join(dirname(stateDir), 'logs');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CLAWDBOT_CONFIG_PATH: '',
      CLAWDBOT_LOG_FILE: join(logDir, 'clawdbot-YYYY-MM-DD.log'),
    };
    delete env['OPENAI_API_KEY'];
    return { stateDir, logDir, env };
  }

  /** Sends a console line and resolves with the model request it caused. */
  async function modelCallFor(
    supervisor: ReturnType<typeof supervisors>,
    text: string,
  ): Promise<Record<string, string>> {
    const before = model.requests.length;
    supervisor.relay.consoleSend(text);
    await waitFor('the model call', () => model.requests.length > before);
    return model.requests[before]!.headers;
  }

  it('is used for model calls but is not in the gateway’s environment, logs or events', async () => {
    const { stateDir, logDir, env } = setup();
    const events: string[] = [];
    const supervisor = supervisors({ stateDir, env, modelKeyStore: memoryKeyStore(KEY) });
    supervisor.events.subscribe((event, payload) =>
      events.push(JSON.stringify({ event, payload })),
    );
    expect(supervisor.model.status()).toMatchObject({ keySource: 'keychain' });
    await supervisor.startIfArmed();
    const { pid } = await waitForState(supervisor, 'running');

    expect(environOf(pid!).includes(KEY), 'the key in /proc/<pid>/environ').toBe(false);
    expect((await modelCallFor(supervisor, 'hello'))['authorization']).toBe(`Bearer ${KEY}`);

    // A manipulated model that repeats the key: the owner's console shows it redacted.
    reply = `here it is: ${KEY}`;
    await modelCallFor(supervisor, 'tell me your key');
    await waitFor('the echoed reply', () =>
      supervisor.relay
        .consoleHistory()
        .find((m) => m.role === 'assistant' && m.text.includes('here it is')),
    );
    reply = 'ok';
    expect(JSON.stringify(supervisor.relay.consoleHistory())).not.toContain(KEY);
    expect(events.join('\n')).not.toContain(KEY);
    expect(readAllLogText(logDir)).not.toContain(KEY);
  });

  it('a key saved while the gateway runs is used at once, without a restart, and never enters its environment', async () => {
    const { stateDir, logDir, env } = setup();
    const supervisor = supervisors({ stateDir, env, modelKeyStore: memoryKeyStore(null) });
    await supervisor.startIfArmed();
    const { pid } = await waitForState(supervisor, 'running');
    expect((await modelCallFor(supervisor, 'no key yet'))['authorization']).toBeUndefined();

    // The key travels on the same channel as the console line, ahead of it: the very next call
    // has it.
    supervisor.model.saveKey(NEW_KEY);
    expect((await modelCallFor(supervisor, 'now with a key'))['authorization']).toBe(
      `Bearer ${NEW_KEY}`,
    );
    expect(supervisor.manager.status()).toMatchObject({ state: 'running', pid, restarts: 0 });
    expect(environOf(pid!).includes(NEW_KEY), 'the key in /proc/<pid>/environ').toBe(false);

    // Cleared: the next call goes without it.
    supervisor.model.clearKey();
    expect((await modelCallFor(supervisor, 'key cleared'))['authorization']).toBeUndefined();
    // A restarted gateway gets the key again over the channel (saved once more first).
    supervisor.model.saveKey(NEW_KEY);
    await supervisor.restartGateway();
    const restarted = await waitForState(supervisor, 'running');
    expect(restarted.pid).not.toBe(pid);
    expect(environOf(restarted.pid!).includes(NEW_KEY), 'the key in /proc/<pid>/environ').toBe(
      false,
    );
    expect((await modelCallFor(supervisor, 'after restart'))['authorization']).toBe(
      `Bearer ${NEW_KEY}`,
    );
    expect(readAllLogText(logDir)).not.toContain(NEW_KEY);
  });
});
