import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSON5 from 'json5';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../../src-shared/config/schema.js';
import type { ApprovalRequest } from '../../../src-shared/domain/approvals.js';
import { silentLogger } from '../../../src-main/logging/logger.js';
import { createApprovalsRepo } from '../../../src-main/store/approvals-repo.js';
import { createKillSwitchRepo } from '../../../src-main/store/kill-switch-repo.js';
import { hostWorkspaceDir } from '../../../src-main/state-layout.js';
import {
  obeyingAttacker,
  startScriptedModelServer,
  type ScriptedModelServer,
} from '../../fixtures/scripted-model-server.js';
import { startAgentGateway, type AgentGateway } from '../../helpers/agent-gateway.js';
import { runCli } from '../../helpers/cli.js';
import { writeConfig } from '../../helpers/gateway-harness.js';
import { useTempStateDirs } from '../../helpers/temp-state.js';
import { waitFor } from '../../helpers/wait.js';

const OWNER = '999000111';
const FRIEND = '111222333';
// Two engines no test reaches: the sandboxed commands here are denied before they would run.
const ENGINE_A = 'unix:///run/clawdbot-test-engine-a.sock';
const ENGINE_B = 'unix:///run/clawdbot-test-engine-b.sock';

/**
 * Exec approvals through the real gateway services, an obedient scripted model and the built
 * CLI: the owner's host commands wait for a decision and run only once it is given (and a
 * friend's sandboxed one, with `sandbox: "ask"`, keeps the engine it was asked for).
 */
describe('exec approvals on the host', () => {
  let model: ScriptedModelServer;
  const newStateDir = useTempStateDirs();
  const gateways: AgentGateway[] = [];

  beforeAll(async () => {
    model = await startScriptedModelServer(obeyingAttacker());
  });
  afterAll(async () => {
    await model.close();
  });
  afterEach(async () => {
    for (const gateway of gateways.splice(0)) await gateway.stop();
  });

  type AgentInput = NonNullable<ConfigInput['agent']>;
  const configWith = (
    approvals: AgentInput['approvals'],
    sandbox?: AgentInput['sandbox'],
  ): ConfigInput => ({
    owner: { telegram: [OWNER] },
    telegram: { allowFrom: [FRIEND] },
    agent: {
      model: { provider: 'openai', name: 'attacker', baseUrl: model.baseUrlFor('openai') },
      approvals,
      ...(sandbox ? { sandbox } : {}),
    },
  });

  async function gateway(approvals: AgentInput['approvals'] = {}, sandbox?: AgentInput['sandbox']) {
    const g = await startAgentGateway({
      stateDir: newStateDir(),
      config: configWith(approvals, sandbox),
      env: { PATH: process.env['PATH'], OPENAI_API_KEY: 'test-key' },
    });
    gateways.push(g);
    return g;
  }

  const pending = (g: AgentGateway): ApprovalRequest[] =>
    createApprovalsRepo(g.db, silentLogger).pending();
  const waitForRequest = (g: AgentGateway): Promise<ApprovalRequest> =>
    waitFor('a pending approval request', () => pending(g)[0]);
  const marker = (g: AgentGateway, name: string): string =>
    join(hostWorkspaceDir(g.stateDir), name);
  const cli = (g: AgentGateway, ...args: string[]) =>
    runCli(['approvals', ...args], { CLAWDBOT_STATE_DIR: g.stateDir });

  it('waits for the owner, tells their chat, and runs only after `approvals allow`', async () => {
    const g = await gateway();
    const answered = g.telegramDm(OWNER, 'run: echo approved > a.txt');
    const request = await waitForRequest(g);
    expect(request).toMatchObject({
      command: 'echo approved > a.txt',
      where: 'host',
      // It runs on this computer: no sandbox engine is recorded.
      engine: null,
      sessionKey: 'main',
    });
    expect(request.cwd).toBe(hostWorkspaceDir(g.stateDir));
    expect(existsSync(marker(g, 'a.txt'))).toBe(false);
    await waitFor('the prompt in the owner chat', () =>
      g.sent.find((s) => s.chatId === OWNER && s.text.includes(request.id)),
    );
    const listed = await cli(g, 'list', '--json');
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id: request.id })]);
    const allowed = await cli(g, 'allow', request.id);
    expect(allowed.code, allowed.stderr).toBe(0);
    await answered;
    expect(readFileSync(marker(g, 'a.txt'), 'utf8')).toBe('approved\n');
    const events = g.transcript('main').filter((e) => e.kind === 'approval');
    expect(events.map((e) => e.data?.['phase'])).toEqual(['requested', 'decided']);
    expect(events[1]!.data).toMatchObject({ allowed: true, decidedVia: 'cli' });
    // A second answer loses: the first one won.
    const late = await cli(g, 'deny', request.id);
    expect(late.code).toBe(1);
    expect(late.stderr).toContain('already decided');
  });

  it('a denial (`/approve ID deny` from the owner) never runs it; the model is told', async () => {
    const g = await gateway();
    const answered = g.telegramDm(OWNER, 'run: echo no > d.txt');
    const request = await waitForRequest(g);
    await g.services.inbound.handleInbound({
      provider: 'telegram',
      chatKind: 'dm',
      chatId: OWNER,
      senderId: OWNER,
      text: `/approve ${request.id} deny`,
      timestamp: Date.now(),
    });
    const replies = await answered;
    expect(replies.join('\n')).toContain('the owner denied this command');
    expect(existsSync(marker(g, 'd.txt'))).toBe(false);
    expect(createApprovalsRepo(g.db, silentLogger).get(request.id)).toMatchObject({
      state: 'denied',
      outcome: 'deny',
      decidedVia: 'telegram',
    });
  });

  it('a timeout denies it', async () => {
    const g = await gateway({ timeoutSec: 5 });
    const replies = await g.telegramDm(OWNER, 'run: echo late > t.txt');
    expect(replies.join('\n')).toContain('the owner denied this command');
    expect(existsSync(marker(g, 't.txt'))).toBe(false);
    expect(createApprovalsRepo(g.db, silentLogger).history(0)[0]).toMatchObject({
      outcome: 'timeout',
    });
  });

  it('allow-always lets the identical command through and asks again for a different one', async () => {
    const g = await gateway();
    const first = g.telegramDm(OWNER, 'run: echo same >> s.txt');
    const request = await waitForRequest(g);
    expect((await cli(g, 'allow', request.id, '--always')).code).toBe(0);
    await first;
    const config = JSON5.parse<{
      agent: { approvals: { allowlist: { command: string; match: string; addedBy: string }[] } };
    }>(readFileSync(join(g.stateDir, 'clawdbot.json'), 'utf8'));
    expect(config.agent.approvals.allowlist).toContainEqual(
      expect.objectContaining({ command: 'echo same >> s.txt', match: 'exact', addedBy: 'cli' }),
    );
    // The gateway's config watcher has to see the edit before the identical command is sent.
    await waitFor('the allowlist edit in force', () =>
      g.services.config
        .current()
        .config.agent.approvals.allowlist.some((e) => e.command === 'echo same >> s.txt'),
    );
    await g.telegramDm(OWNER, 'run: echo same >> s.txt');
    expect(readFileSync(marker(g, 's.txt'), 'utf8')).toBe('same\nsame\n');
    const other = g.telegramDm(OWNER, 'run: echo other >> s.txt');
    const again = await waitForRequest(g);
    expect(again.command).toBe('echo other >> s.txt');
    expect((await cli(g, 'deny', again.id)).code).toBe(0);
    await other;
    expect(readFileSync(marker(g, 's.txt'), 'utf8')).toBe('same\nsame\n');
  });

  it('a friend sending `/approve` changes nothing and is refused', async () => {
    const g = await gateway();
    const answered = g.telegramDm(OWNER, 'run: echo x > f.txt');
    const request = await waitForRequest(g);
    await g.services.inbound.handleInbound({
      provider: 'telegram',
      chatKind: 'dm',
      chatId: FRIEND,
      senderId: FRIEND,
      text: `/approve ${request.id} once`,
      timestamp: Date.now(),
    });
    const refused = await waitFor('the refusal', () => g.sent.find((s) => s.chatId === FRIEND));
    expect(refused.text).toBe('Only the owner can decide this.');
    expect(createApprovalsRepo(g.db, silentLogger).get(request.id)?.state).toBe('pending');
    expect((await cli(g, 'deny', request.id)).code).toBe(0);
    await answered;
    expect(existsSync(marker(g, 'f.txt'))).toBe(false);
  });

  it('engaging the kill switch denies everything pending', async () => {
    const g = await gateway();
    const answered = g.telegramDm(OWNER, 'run: echo k > k.txt');
    const request = await waitForRequest(g);
    createKillSwitchRepo(g.db).engage('test', 'cli', Date.now());
    const replies = await answered;
    expect(replies.join('\n')).toContain('the owner denied this command');
    expect(createApprovalsRepo(g.db, silentLogger).get(request.id)).toMatchObject({
      outcome: 'kill-switch',
    });
    expect(existsSync(marker(g, 'k.txt'))).toBe(false);
  });

  it('an approved request whose stored text was swapped does not run either command', async () => {
    const g = await gateway();
    const answered = g.telegramDm(OWNER, 'run: echo original > o.txt');
    const request = await waitForRequest(g);
    g.db
      .prepare('UPDATE approvals SET command = ? WHERE id = ?')
      .run('echo swapped > w.txt', request.id);
    expect((await cli(g, 'allow', request.id)).code).toBe(0);
    const replies = await answered;
    expect(replies.join('\n')).toContain('the owner denied this command');
    expect(existsSync(marker(g, 'o.txt'))).toBe(false);
    expect(existsSync(marker(g, 'w.txt'))).toBe(false);
  });

  it('an allowlisted command runs without asking; `allowlist` mode denies the rest unasked', async () => {
    const g = await gateway({ host: 'allowlist' });
    expect((await g.telegramDm(OWNER, 'run: pwd')).join('\n')).toContain(
      hostWorkspaceDir(g.stateDir),
    );
    const denied = await g.telegramDm(OWNER, 'run: echo nope > n.txt');
    expect(denied.join('\n')).toContain('the owner denied this command');
    expect(pending(g)).toEqual([]);
    expect(existsSync(marker(g, 'n.txt'))).toBe(false);
  });

  /** The friend asks for a command; the owner denies it once it waits; resolves with it. */
  async function askAndDeny(g: AgentGateway, command: string): Promise<ApprovalRequest> {
    const repo = createApprovalsRepo(g.db, silentLogger);
    const answered = g.telegramDm(FRIEND, `run: ${command}`);
    const request = await waitFor('the pending request', () =>
      repo.pending().find((r) => r.command === command),
    );
    repo.decide(request.id, { outcome: 'deny', by: 'owner', via: 'cli', at: Date.now() });
    expect((await answered).join('\n')).toContain('the owner denied this command');
    return request;
  }

  it('a sandboxed request keeps the engine and runtime it was asked for after the owner switches engine', async () => {
    const g = await gateway(
      { sandbox: 'ask' },
      { engine: { host: ENGINE_A }, docker: { runtime: 'runsc' } },
    );
    const first = await askAndDeny(g, 'echo first');
    expect(first).toMatchObject({
      where: 'sandbox',
      engine: { endpoint: ENGINE_A, runtime: 'runsc' },
    });

    writeConfig(g.stateDir, configWith({ sandbox: 'ask' }, { engine: { host: ENGINE_B } }));
    await waitFor('the engine switch in force', () =>
      JSON.stringify(g.services.config.current().config.agent.sandbox.engine).includes(ENGINE_B),
    );
    const second = await askAndDeny(g, 'echo second');
    expect(second.engine).toEqual({ endpoint: ENGINE_B, runtime: null });

    // The history, as every surface reads it, keeps each request's own engine.
    const byCommand = (list: ApprovalRequest[]) =>
      Object.fromEntries(list.map((r) => [r.command, r.engine]));
    expect(byCommand(createApprovalsRepo(g.db, silentLogger).history(0))).toEqual({
      'echo first': { endpoint: ENGINE_A, runtime: 'runsc' },
      'echo second': { endpoint: ENGINE_B, runtime: null },
    });
    const listed = await cli(g, 'list', '--all', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const { history } = JSON.parse(listed.stdout) as { history: ApprovalRequest[] };
    expect(byCommand(history)).toEqual({
      'echo first': { endpoint: ENGINE_A, runtime: 'runsc' },
      'echo second': { endpoint: ENGINE_B, runtime: null },
    });
    const table = await cli(g, 'list', '--all');
    expect(table.stdout).toContain(`sandbox on ${ENGINE_A}, runsc`);
    expect(table.stdout).toContain(`sandbox on ${ENGINE_B}, the engine’s default runtime`);
    // The transcript's record of the request says the same.
    const requested = g
      .transcript(`dm:telegram:${FRIEND}`)
      .filter((e) => e.kind === 'approval' && e.data?.['phase'] === 'requested')
      .map((e) => [e.data?.['engine'], e.data?.['runtime']]);
    expect(requested).toEqual([
      [ENGINE_A, 'runsc'],
      [ENGINE_B, null],
    ]);
  });
});
