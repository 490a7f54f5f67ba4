import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src-main/config/load-config.js';
import type { AuditInput, ContainerFact, FileFact } from '../../src-main/audit/audit-input.js';
import { runChecks } from '../../src-main/audit/run-checks.js';
import { FindingSchema } from '../../src-shared/domain/audit.js';
import { environmentEngineFindings } from '../../src-main/audit/checks-engine.js';

/**
 * The audit against a table of setups: a hardened baseline produces no finding, and each row
 * loosens one thing and must produce exactly the finding for it (ids are the contract scripts
 * match on). Checks are pure, so the input is built here; collect-input.test.ts covers the disk.
 */

const HOME = '/home/owner';
const STATE = `${HOME}/.clawdbot`;

/** The baseline: every default, plus `main` sandboxed too. */
const hardened = { agent: { sandbox: { mode: 'all' } } };

const privateFiles: FileFact[] = [
  { kind: 'state-dir', path: STATE, directory: true, mode: 0o700 },
  { kind: 'config', path: `${STATE}/clawdbot.json`, directory: false, mode: 0o600 },
  { kind: 'database', path: `${STATE}/clawdbot.db`, directory: false, mode: 0o600 },
  { kind: 'credentials', path: `${STATE}/credentials`, directory: true, mode: 0o700 },
];

const cleanContainer: ContainerFact = {
  name: 'clawdbot-sbx-main',
  privileged: false,
  bindSources: [`${STATE}/sandboxes/main`],
  capAdd: [],
  networkMode: 'none',
};

type DeepPartial = { [key: string]: unknown };

function merge(base: DeepPartial, extra: DeepPartial): DeepPartial {
  const out: DeepPartial = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    out[key] =
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      current &&
      typeof current === 'object'
        ? merge(current as DeepPartial, value as DeepPartial)
        : value;
  }
  return out;
}

function inputFor(config: DeepPartial = {}, facts: Partial<AuditInput> = {}): AuditInput {
  const text = JSON.stringify(merge(hardened, config));
  const parsed = parseConfigText(text, `${STATE}/clawdbot.json`);
  return {
    configPath: `${STATE}/clawdbot.json`,
    configText: text,
    config: parsed.ok
      ? { ok: true, config: parsed.config, exists: true }
      : { ok: false, errors: parsed.errors },
    files: privateFiles,
    docker: { reachable: true, containers: [cleanContainer] },
    webHost: '127.0.0.1',
    safeStorageBackend: 'gnome_libsecret',
    homeDir: HOME,
    logs: { pattern: '/tmp/clawdbot/clawdbot-YYYY-MM-DD.log', fallback: null, error: null },
    ...facts,
  };
}

const ids = (input: AuditInput): string[] => runChecks(input).map((f) => f.id);
const container = (extra: Partial<ContainerFact>): Partial<AuditInput> => ({
  docker: {
    reachable: true,
    containers: [cleanContainer, { ...cleanContainer, name: 'bad', ...extra }],
  },
});
const runtimes = (listed: string[]): Partial<AuditInput> => ({
  docker: { reachable: true, containers: [cleanContainer], runtimes: listed },
});
const withMode = (kind: FileFact['kind'], mode: number): Partial<AuditInput> => ({
  files: privateFiles.map((f) => (f.kind === kind ? { ...f, mode } : f)),
});

/** Logs moved off a refused /tmp/clawdbot; `error`: the fallback failed too. */
const movedLogs = (error: string | null): AuditInput['logs'] => ({
  pattern: `${STATE}/logs/clawdbot-YYYY-MM-DD.log`,
  fallback: {
    configured: '/tmp/clawdbot/clawdbot-2030-01-01.log',
    reason: '/tmp/clawdbot belongs to another user (uid 1001), who could read or swap our logs',
  },
  error,
});

const TELEGRAM_TOKEN = `123456789:${'A'.repeat(35)}`;

const table: [expected: string, config: DeepPartial, facts?: Partial<AuditInput>][] = [
  ['dm.open', { telegram: { dmPolicy: 'open', allowFrom: ['*'] } }],
  ['groups.policy-open', { telegram: { groupPolicy: 'open' } }],
  [
    'groups.no-mention',
    {
      whatsapp: {
        groups: { '1203@g.us': { requireMention: false } },
        groupAllowFrom: ['+15555550123'],
      },
    },
  ],
  // Groups in use (a DM allowlist the reference would have fallen back to, or a listed group)
  // while nobody but the owner may trigger the bot in them.
  ['groups.allowlist-empty', { telegram: { allowFrom: ['987654321'] } }],
  ['groups.allowlist-empty', { whatsapp: { groups: { '1203@g.us': {} } } }],
  ['elevated.wildcard', { agent: { elevated: { enabled: true, allowFrom: { telegram: ['*'] } } } }],
  ['elevated.groups', { agent: { elevated: { enabled: true, groups: true } } }],
  // Refused in groups by default, so groups being on does not make it worse.
  ['elevated.enabled', { agent: { elevated: { enabled: true } } }],
  [
    'elevated.enabled',
    {
      agent: { elevated: { enabled: true, groups: true } },
      telegram: { groupPolicy: 'disabled' },
      whatsapp: { groupPolicy: 'disabled' },
    },
  ],
  ['sandbox.off', { agent: { sandbox: { mode: 'off' } } }],
  ['sandbox.network', { agent: { sandbox: { docker: { network: 'bridge' } } } }],
  ['sandbox.writable-root', { agent: { sandbox: { docker: { readOnlyRoot: false } } } }],
  ['sandbox.capabilities', { agent: { sandbox: { docker: { capDrop: ['NET_RAW'] } } } }],
  ['sandbox.new-privileges', { agent: { sandbox: { docker: { noNewPrivileges: false } } } }],
  ['sandbox.root-user', { agent: { sandbox: { docker: { user: '0' } } } }],
  ['sandbox.limits', { agent: { sandbox: { docker: { pidsLimit: 100_000 } } } }],
  ['sandbox.env-secret', { agent: { sandbox: { docker: { env: { GITHUB_TOKEN: 'x' } } } } }],
  // The variable agent.model.apiKeyEnv names holds the model key, whatever it is called.
  [
    'sandbox.env-secret',
    {
      agent: {
        model: { provider: 'openai', name: 'llama3.1:8b', apiKeyEnv: 'LLM_SESAME' },
        sandbox: { docker: { env: { LLM_SESAME: 'x' } } },
      },
    },
  ],
  ['config.secrets', { telegram: { botToken: TELEGRAM_TOKEN } }],
  ['config.secrets', { agent: { instructions: `use sk-ant-${'x'.repeat(30)} for calls` } }],
  ['logging.redaction-off', { logging: { redactSensitive: false } }],
  ['config.invalid', { telegram: { dmPolice: 'open' } }],
  ['web.bind-public', {}, { webHost: '0.0.0.0' }],
  ['logging.fallback', {}, { logs: movedLogs(null) }],
  ['logging.none', {}, { logs: movedLogs(`${STATE}/logs cannot be created: EACCES`) }],
  ['safe-storage.plain-text', {}, { safeStorageBackend: 'basic_text' }],
  ['docker.unreachable', {}, { docker: { reachable: false, error: 'connect ENOENT' } }],
  ['container.privileged', {}, container({ privileged: true })],
  ['container.docker-socket', {}, container({ bindSources: ['/var/run/docker.sock'] })],
  ['container.home-mount', {}, container({ bindSources: [HOME] })],
  ['container.cap-add', {}, container({ capAdd: ['SYS_ADMIN'] })],
  ['container.network', {}, container({ networkMode: 'bridge' })],
  ['sandbox.gvisor-unused', {}, runtimes(['runc', 'runsc'])],
  [
    'sandbox.runtime-missing',
    { agent: { sandbox: { docker: { runtime: 'runsc' } } } },
    runtimes(['runc']),
  ],
  [
    'sandbox.engine-insecure',
    { agent: { sandbox: { engine: { host: 'tcp://build:2375', insecure: true } } } },
  ],
  [
    'sandbox.engine-tls-unverified',
    { agent: { sandbox: { engine: { host: 'tcp://build:2376', tls: { verify: false } } } } },
  ],
  ['files.state-dir', {}, withMode('state-dir', 0o755)],
  ['files.config', {}, withMode('config', 0o644)],
  ['files.database', {}, withMode('database', 0o644)],
  ['files.credentials', {}, withMode('credentials', 0o750)],
];

describe('the security audit checks', () => {
  it('find nothing in the hardened baseline', () => {
    expect(runChecks(inputFor())).toEqual([]);
  });

  it.each(table)('raise exactly %s for its setup', (expected, config, facts) => {
    const findings = runChecks(inputFor(config, facts));
    expect(findings.map((f) => f.id)).toEqual([expected]);
    const [finding] = findings;
    // Every finding names where, says what it means and how to fix it, and whether --fix can.
    expect(FindingSchema.parse(finding)).toEqual(finding);
    expect(finding?.path).toBeTruthy();
    expect(finding?.meaning.length).toBeGreaterThan(20);
    expect(finding?.fix.length).toBeGreaterThan(10);
  });

  it('rate an engine the environment names over plain TCP or unchecked TLS high, unless the config names the engine', () => {
    const ids = (env: NodeJS.ProcessEnv, setting?: { host?: string }) =>
      environmentEngineFindings(setting && { insecure: false, ...setting }, env).map((f) => [
        f.id,
        f.severity,
        f.path,
      ]);
    expect(ids({ DOCKER_HOST: 'tcp://build:2375' })).toEqual([
      ['sandbox.engine-insecure', 'high', 'DOCKER_HOST'],
    ]);
    expect(ids({ DOCKER_HOST: 'tcp://build:2376', DOCKER_TLS: '1' })).toEqual([
      ['sandbox.engine-tls-unverified', 'high', 'DOCKER_HOST'],
    ]);
    expect(ids({ DOCKER_HOST: 'unix:///run/docker.sock' })).toEqual([]);
    expect(ids({})).toEqual([]);
    // The config's engine wins over the environment; its own findings come from the setting.
    expect(ids({ DOCKER_HOST: 'tcp://build:2375' }, { host: 'unix:///run/docker.sock' })).toEqual(
      [],
    );
    const [finding] = environmentEngineFindings(undefined, { DOCKER_HOST: 'tcp://build:2375' });
    expect(FindingSchema.parse(finding)).toEqual(finding);
    expect(finding?.title).toContain('tcp://build:2375');
  });

  it('rate a sandbox engine reached without TLS high, and a verified TLS engine not at all', () => {
    const insecure = { agent: { sandbox: { engine: { host: 'tcp://b:2375', insecure: true } } } };
    expect(runChecks(inputFor(insecure))[0]).toMatchObject({
      severity: 'high',
      path: 'agent.sandbox.engine.insecure',
    });
    const tls = {
      agent: { sandbox: { engine: { host: 'tcp://b:2376', tls: { ca: '/ca.pem' } } } },
    };
    expect(ids(inputFor(tls))).toEqual([]);
  });

  it('rate gVisor left unused low, and say nothing once sandboxes use it or run nowhere', () => {
    const [unused] = runChecks(inputFor({}, runtimes(['runc', 'runsc'])));
    expect(unused).toMatchObject({ severity: 'low', path: 'agent.sandbox.docker.runtime' });
    expect(unused?.fix).toMatch(/agent\.sandbox\.docker\.runtime to "runsc"/);
    const using = { agent: { sandbox: { docker: { runtime: 'runsc' } } } };
    expect(ids(inputFor(using, runtimes(['runc', 'runsc'])))).toEqual([]);
    expect(ids(inputFor({ agent: { sandbox: { mode: 'off' } } }, runtimes(['runsc'])))).toEqual([
      'sandbox.off',
    ]);
    const [missing] = runChecks(inputFor(using, runtimes(['runc'])));
    expect(missing?.fix).toMatch(/apt-get install runsc.*daemon\.json/);
  });

  it('flag the unsandboxed main session only together with open DMs', () => {
    const open = { telegram: { dmPolicy: 'open', allowFrom: ['*'] } };
    expect(ids(inputFor({ agent: { sandbox: { mode: 'non-main' } } }))).toEqual([]);
    expect(ids(inputFor({ ...open, agent: { sandbox: { mode: 'non-main' } } }))).toEqual([
      'dm.open',
      'sandbox.main-on-host',
    ]);
  });

  it('flag approvals off (high with elevated on) and broad approvals allowlist entries', () => {
    expect(runChecks(inputFor({ agent: { approvals: { host: 'off' } } }))[0]).toMatchObject({
      id: 'approvals.off',
      severity: 'medium',
      path: 'agent.approvals.host',
    });
    const elevated = { enabled: true };
    expect(
      runChecks(inputFor({ agent: { approvals: { host: 'off' }, elevated } })).find(
        (f) => f.id === 'approvals.off',
      ),
    ).toMatchObject({ severity: 'high' });
    const allowlist = [
      { command: 'git log', match: 'prefix' },
      { command: 'bash', match: 'prefix' },
      { command: 'python3 .*', match: 'regex' },
      { command: '.*', match: 'regex' },
      { command: 'bash -c "make"', match: 'exact' },
    ];
    const findings = runChecks(inputFor({ agent: { approvals: { allowlist } } }));
    expect(findings.map((f) => [f.id, f.path])).toEqual([
      ['approvals.allowlist-broad', 'agent.approvals.allowlist[1]'],
      ['approvals.allowlist-broad', 'agent.approvals.allowlist[2]'],
      ['approvals.allowlist-matches-all', 'agent.approvals.allowlist[3]'],
    ]);
  });

  it('rate elevated allowed in group chats high', () => {
    const [finding] = runChecks(inputFor({ agent: { elevated: { enabled: true, groups: true } } }));
    expect(finding).toMatchObject({
      id: 'elevated.groups',
      severity: 'high',
      path: 'agent.elevated.groups',
    });
  });

  it('explain silent groups only where groups look meant to be used', () => {
    const finding = runChecks(inputFor({ telegram: { allowFrom: ['987654321'] } }))[0];
    expect(finding).toMatchObject({
      id: 'groups.allowlist-empty',
      severity: 'info',
      path: 'telegram.groupAllowFrom',
    });
    expect(finding?.meaning).toContain('telegram.allowFrom is not used for groups');
    // Someone may trigger it, groups are off, or nothing suggests groups are used: quiet.
    for (const telegram of [
      { allowFrom: ['987654321'], groupAllowFrom: ['987654321'] },
      { allowFrom: ['987654321'], groupPolicy: 'disabled' },
      { groups: { '-100': { enabled: false } } },
      {},
    ]) {
      expect(ids(inputFor({ telegram }))).toEqual([]);
    }
  });

  it('mark exactly the permission, redaction and group policy findings as fixable', () => {
    const fixable = table
      .map(([, config, facts]) => runChecks(inputFor(config, facts))[0])
      .filter((f) => f?.fixable)
      .map((f) => f?.id);
    expect(new Set(fixable)).toEqual(
      new Set([
        'groups.policy-open',
        'logging.redaction-off',
        'files.state-dir',
        'files.config',
        'files.database',
        'files.credentials',
      ]),
    );
  });

  it('report an invalid config with its validation errors, worst first', () => {
    const [finding] = runChecks(inputFor({ telegram: { dmPolice: 'open' } }));
    expect(finding?.severity).toBe('high');
    expect(finding?.meaning).toContain('unknown key telegram.dmPolice');
  });

  it('leave sandbox overrides alone while sandboxing is off, and loopback web mode alone', () => {
    const off = { agent: { sandbox: { mode: 'off', docker: { network: 'host', user: '0' } } } };
    expect(ids(inputFor(off))).toEqual(['sandbox.off']);
    for (const host of ['127.0.0.1', 'localhost', '::1']) {
      expect(ids(inputFor({}, { webHost: host }))).toEqual([]);
    }
    expect(ids(inputFor({}, { webHost: null, safeStorageBackend: null, docker: null }))).toEqual(
      [],
    );
  });

  it('rate a world-readable config holding a token high', () => {
    const findings = runChecks(
      inputFor({ telegram: { botToken: TELEGRAM_TOKEN } }, withMode('config', 0o644)),
    );
    expect(findings.map((f) => [f.id, f.severity])).toEqual([
      ['config.secrets', 'high'],
      ['files.config', 'high'],
    ]);
  });
});
