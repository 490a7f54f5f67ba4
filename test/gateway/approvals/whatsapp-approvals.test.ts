import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../../src-shared/config/schema.js';
import { APPROVED_TEXT } from '../../../src-shared/domain/access.js';
import { createAccessStore } from '../../../src-main/access/access-store.js';
import { PairingService } from '../../../src-main/access/pairing-service.js';
import {
  composeGateway,
  type Gateway as GatewayServices,
} from '../../../src-main/gateway/gateway-composition.js';
import { createWhatsAppProviderFactory } from '../../../src-main/gateway/providers/whatsapp/whatsapp-provider.js';
import { createLogger, silentLogger } from '../../../src-main/logging/logger.js';
import { hostWorkspaceDir } from '../../../src-main/state-layout.js';
import { createApprovalsRepo } from '../../../src-main/store/approvals-repo.js';
import { openDatabase } from '../../../src-main/store/open-database.js';
import {
  BaileysSocketDouble,
  OWN_NUMBER,
  dmFrom,
  selfChatMessage,
} from '../../fixtures/baileys-socket-double.js';
import {
  obeyingAttacker,
  startScriptedModelServer,
  type ScriptedModelServer,
} from '../../fixtures/scripted-model-server.js';
import { runCli } from '../../helpers/cli.js';
import { writeConfig } from '../../helpers/gateway-harness.js';
import { useTempStateDirs } from '../../helpers/temp-state.js';
import { waitFor } from '../../helpers/wait.js';

const OWNER = `+${OWN_NUMBER}`;
const FRIEND = '15550009001';
const STRANGER = '15550002222';
const SELF_CHAT = `${OWN_NUMBER}@s.whatsapp.net`;
const jidOf = (number: string): string => `${number}@s.whatsapp.net`;

interface Harness {
  services: GatewayServices;
  db: Database;
  stateDir: string;
  socket: BaileysSocketDouble;
  logLines: string[];
}

/**
 * The owner's WhatsApp self-chat as an approvals surface, through the real gateway (composed as
 * the child composes it: access pipeline, agent with an obedient scripted model, SQLite) with
 * only the Baileys socket replaced by the double the WhatsApp provider tests use.
 */
describe('approvals in the owner’s WhatsApp self-chat', () => {
  let model: ScriptedModelServer;
  const newStateDir = useTempStateDirs();
  const running: Harness[] = [];

  beforeAll(async () => {
    model = await startScriptedModelServer(obeyingAttacker());
  });
  afterAll(async () => {
    await model.close();
  });
  afterEach(async () => {
    for (const h of running.splice(0)) {
      await h.services.stop();
      h.db.close();
    }
  });

  async function connected(): Promise<Harness> {
    const stateDir = newStateDir();
    const config: ConfigInput = {
      owner: { whatsapp: [OWNER] },
      whatsapp: { enabled: true, allowFrom: [`+${FRIEND}`] },
      agent: {
        model: { provider: 'openai', name: 'obedient', baseUrl: model.baseUrlFor('openai') },
      },
    };
    writeConfig(stateDir, config);
    const db = openDatabase(stateDir);
    const sockets: BaileysSocketDouble[] = [];
    const logLines: string[] = [];
    const services = composeGateway({
      db,
      stateDir,
      configPath: join(stateDir, 'clawdbot.json'),
      env: { ...process.env, OPENAI_API_KEY: 'test-key' },
      log: createLogger({ process: 'gateway', level: 'debug', write: (l) => logLines.push(l) }),
      factories: {
        whatsapp: createWhatsAppProviderFactory({
          makeSocket: (socketConfig) => {
            const socket = new BaileysSocketDouble(socketConfig);
            sockets.push(socket);
            return socket;
          },
        }),
      },
      events: {
        providers: () => undefined,
        console: () => undefined,
        sessionEvent: () => undefined,
      },
    });
    await services.start();
    await waitFor('the socket', () => sockets.length === 1);
    sockets[0]!.open();
    await waitFor('connected', () =>
      services.providers.list().some((s) => s.provider === 'whatsapp' && s.state === 'connected'),
    );
    const h = { services, db, stateDir, socket: sockets[0]!, logLines };
    running.push(h);
    return h;
  }

  const sentTo = (h: Harness, jid: string): string[] =>
    h.socket.sent.filter((m) => m.jid === jid).map((m) => m.text);
  const logged = (h: Harness, msg: string) =>
    h.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r['msg'] === msg);

  it('sends the request to the self-chat; a friend’s /approve is refused and logged, the owner’s runs it', async () => {
    const h = await connected();
    const file = join(hostWorkspaceDir(h.stateDir), 'wa.txt');
    h.socket.emitMessages([selfChatMessage('run: echo from-whatsapp > wa.txt')]);
    const prompt = await waitFor('the prompt in the self-chat', () =>
      sentTo(h, SELF_CHAT).find((t) => t.startsWith('Approval needed')),
    );
    expect(prompt).toContain('$ echo from-whatsapp > wa.txt');
    expect(prompt).toContain('/approve');
    const id = /Approval needed \((\w+)\)/.exec(prompt)![1]!;

    h.socket.emitMessages([dmFrom(FRIEND, `/approve ${id} once`)]);
    await waitFor('the refusal', () => sentTo(h, jidOf(FRIEND)).length > 0);
    expect(sentTo(h, jidOf(FRIEND))).toEqual(['Only the owner can decide this.']);
    expect(logged(h, 'refused an approval command from someone other than the owner')).toEqual([
      expect.objectContaining({ provider: 'whatsapp', from: `+${FRIEND}` }),
    ]);
    expect(createApprovalsRepo(h.db, silentLogger).get(id)?.state).toBe('pending');
    expect(existsSync(file)).toBe(false);

    h.socket.emitMessages([selfChatMessage(`/approve ${id} once`)]);
    await waitFor('the command run', () => existsSync(file));
    expect(readFileSync(file, 'utf8')).toBe('from-whatsapp\n');
    expect(createApprovalsRepo(h.db, silentLogger).get(id)).toMatchObject({
      state: 'allowed',
      outcome: 'once',
      decidedVia: 'whatsapp',
      decidedBy: `whatsapp:${OWNER}`,
    });
    await waitFor('the decision told in the self-chat', () =>
      sentTo(h, SELF_CHAT).find((t) => t.startsWith(`${id}: allowed (once)`)),
    );
  });

  it('`/approve ID deny` from the self-chat never runs it; the model is told', async () => {
    const h = await connected();
    const file = join(hostWorkspaceDir(h.stateDir), 'no.txt');
    h.socket.emitMessages([selfChatMessage('run: echo never > no.txt')]);
    const prompt = await waitFor('the prompt', () =>
      sentTo(h, SELF_CHAT).find((t) => t.startsWith('Approval needed')),
    );
    const id = /Approval needed \((\w+)\)/.exec(prompt)![1]!;
    h.socket.emitMessages([selfChatMessage(`/approve ${id} deny`)]);
    await waitFor('the model told', () =>
      sentTo(h, SELF_CHAT).find((t) => t.includes('the owner denied this command')),
    );
    expect(existsSync(file)).toBe(false);
    expect(createApprovalsRepo(h.db, silentLogger).get(id)).toMatchObject({
      state: 'denied',
      outcome: 'deny',
    });
  });

  it('decided elsewhere (the CLI), the self-chat is told how it ended', async () => {
    const h = await connected();
    h.socket.emitMessages([selfChatMessage('run: echo cli > cli.txt')]);
    const prompt = await waitFor('the prompt', () =>
      sentTo(h, SELF_CHAT).find((t) => t.startsWith('Approval needed')),
    );
    const id = /Approval needed \((\w+)\)/.exec(prompt)![1]!;
    const cli = await runCli(['approvals', 'allow', id], { CLAWDBOT_STATE_DIR: h.stateDir });
    expect(cli.code, cli.stderr).toBe(0);
    await waitFor('the decision told in the self-chat', () =>
      sentTo(h, SELF_CHAT).find((t) => t.startsWith(`${id}: allowed (once)`) && t.includes('cli')),
    );
    await waitFor('the command run', () =>
      existsSync(join(hostWorkspaceDir(h.stateDir), 'cli.txt')),
    );
  });

  it('tells the self-chat of a pairing request; `/pair approve CODE` there lets the stranger in, a friend’s is refused', async () => {
    const h = await connected();
    h.socket.emitMessages([dmFrom(STRANGER, 'hello?', { pushName: 'New Person' })]);
    const notice = await waitFor('the pairing notice', () =>
      sentTo(h, SELF_CHAT).find((t) => t.startsWith('Pairing request')),
    );
    const code = /code ([A-Z0-9]{8})/.exec(notice)![1]!;
    expect(notice).toContain(`/pair approve ${code}`);
    expect(notice).toContain(`+${STRANGER}`);

    h.socket.emitMessages([dmFrom(FRIEND, `/pair approve ${code}`)]);
    await waitFor('the refusal', () => sentTo(h, jidOf(FRIEND)).length > 0);
    expect(sentTo(h, jidOf(FRIEND))).toEqual(['Only the owner can decide this.']);
    expect(new PairingService(createAccessStore(h.db)).list('whatsapp')).toHaveLength(1);

    h.socket.emitMessages([selfChatMessage(`/pair approve ${code}`)]);
    await waitFor('the stranger told', () => sentTo(h, jidOf(STRANGER)).includes(APPROVED_TEXT));
    expect(sentTo(h, SELF_CHAT).find((t) => t.startsWith('Approved'))).toContain('whatsapp');
    expect(new PairingService(createAccessStore(h.db)).list('whatsapp')).toEqual([]);
  });
});
