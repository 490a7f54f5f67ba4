/**
 * Inbound benchmark: `npm run bench:inbound` (or `npx tsx bench/inbound.ts`).
 *
 * Telegram updates per second from the fake Bot API server (`test/fixtures/fake-telegram-api.ts`,
 * a real HTTP server) through real grammY (the runner, auto-retry, our provider) and the gateway's
 * inbound pipeline (`GatewayCore.handleInbound`: envelope validation, freshness → identity →
 * scope → trust) to the session step, for allowed senders: 1,000 ids in `telegram.allowFrom`,
 * DMs round-robin over all of them. The gateway is composed as `startGatewayServices` composes
 * it (GatewayCore + ProviderManager + `createTelegramProvider`), except that the session step
 * records arrival times instead of sending the "not configured" reply.
 *
 * The fake server runs in a child process (this file with `--fake-api-child`), as Telegram is
 * another machine: its CPU time is not charged to the gateway's event loop. It serves two bots:
 * one polled by the gateway, one drained by the baseline.
 *
 * Baseline, same run, interleaved run by run: a plain `node:http` client (keep-alive, one request
 * at a time, as the runner polls) draining the same number of updates from the same server in
 * `getUpdates` batches of 100 and parsing them: the fake server's own raw throughput.
 *
 * Latency: single updates, one at a time; each is timed from the moment the server wrote the
 * poll response carrying it (clock: `performance.timeOrigin + now()`, in both processes) to the
 * session step, and for the baseline to the plain client having parsed it. "Added latency" is the
 * median of the first minus the median of the second, so clock skew between the processes and the
 * HTTP hop cancel out. Also shown: the pipeline alone (the provider hands the envelope to the
 * gateway → session step), in one process.
 *
 * BENCH_RUNS timed runs (default 7, at least 5) after one discarded warm-up; BENCH_UPDATES
 * updates per throughput run (default 10,000); BENCH_LATENCY_SAMPLES single updates per latency
 * run (default 200). The results replace this bench's section of bench/RESULTS.md (between the
 * inbound markers); nothing else in the file is touched. BENCH_NO_WRITE=1 prints only.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Update } from 'grammy/types';
import type { ConfigInput } from '../src-shared/config/schema.js';
import type { Envelope } from '../src-shared/domain/envelope.js';
import { GatewayCore, type Delivery } from '../src-main/gateway/gateway-core.js';
import { ProviderManager } from '../src-main/gateway/providers/provider-manager.js';
import { createTelegramProvider } from '../src-main/gateway/providers/telegram/telegram-provider.js';
import { silentLogger } from '../src-main/logging/logger.js';
import { openDatabase } from '../src-main/store/open-database.js';
import { loadConfigSync } from '../src-main/config/load-config.js';
import { FakeTelegramApi } from '../test/fixtures/fake-telegram-api.js';

const benchFile = fileURLToPath(import.meta.url);
const resultsFile = join(dirname(benchFile), 'RESULTS.md');
const START_MARKER = '<!-- inbound:start -->';
const END_MARKER = '<!-- inbound:end -->';
const CHILD_FLAG = '--fake-api-child';

const RUNS = Math.max(5, Number(process.env['BENCH_RUNS'] ?? 7) || 7);
const UPDATES = Math.max(1000, Number(process.env['BENCH_UPDATES'] ?? 10_000) || 10_000);
const LATENCY_SAMPLES = Math.max(50, Number(process.env['BENCH_LATENCY_SAMPLES'] ?? 200) || 200);
const SENDERS = 1000;
const TARGET_PER_S = 2000;
const TARGET_ADDED_MS = 2;
/** Telegram user ids of the allowed senders. */
const senderIds = Array.from({ length: SENDERS }, (_, i) => 200_000_000 + i * 7919);

const clock = (): number => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------------------------------------
// The fake Bot API in its own process

type Bot = 'gateway' | 'baseline';
type ChildRequest =
  | { type: 'start' }
  | { type: 'push'; bot: Bot; count: number }
  | { type: 'stamps'; bot: Bot; from: number; to: number }
  | { type: 'calls'; bot: Bot };
type ChildReply = { id: number; value: unknown };

async function runChild(): Promise<void> {
  const apis: Record<Bot, FakeTelegramApi> = {
    gateway: await FakeTelegramApi.start({ stampUpdates: true }),
    baseline: await FakeTelegramApi.start({
      stampUpdates: true,
      token: '987654321:AAHbaselineTokenForBenchOnly_abcdefgh',
    }),
  };
  let next = 0;
  const handle = (msg: ChildRequest): unknown => {
    switch (msg.type) {
      case 'start':
        return Object.fromEntries(
          Object.entries(apis).map(([bot, api]) => [
            bot,
            { apiRoot: api.apiRoot, token: api.token },
          ]),
        );
      case 'push': {
        const api = apis[msg.bot];
        const first = api.peekUpdateId();
        const date = Math.floor(Date.now() / 1000);
        const updates: Omit<Update, 'update_id'>[] = [];
        for (let i = 0; i < msg.count; i++) {
          const sender = senderIds[next++ % SENDERS]!;
          updates.push({
            message: {
              message_id: api.messageId(),
              date,
              chat: { id: sender, type: 'private', first_name: 'Sender' },
              from: { id: sender, is_bot: false, first_name: 'Sender', username: `s${sender}` },
              // The update id in the text lets the session step match the server's stamp.
              text: `u${first + i} hello there, how are you today?`,
            },
          });
        }
        api.pushUpdates(updates);
        return { first, last: first + msg.count - 1 };
      }
      case 'stamps': {
        const api = apis[msg.bot];
        const out: number[] = [];
        for (let id = msg.from; id <= msg.to; id++) out.push(api.updateSentAt.get(id) ?? NaN);
        for (let id = msg.from; id <= msg.to; id++) api.updateSentAt.delete(id);
        return out;
      }
      case 'calls': {
        const counts: Record<string, number> = {};
        for (const call of apis[msg.bot].calls)
          counts[call.method] = (counts[call.method] ?? 0) + 1;
        apis[msg.bot].calls.length = 0;
        return counts;
      }
    }
  };
  process.on('message', (msg: ChildRequest & { id: number }) => {
    process.send!({ id: msg.id, value: handle(msg) } satisfies ChildReply);
  });
  process.on('disconnect', () => {
    void Promise.all(Object.values(apis).map((api) => api.close())).then(() => process.exit(0));
  });
}

/** The parent's handle on the child server. */
class FakeApiProcess {
  private nextId = 1;
  private readonly pending = new Map<number, (value: unknown) => void>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: ChildReply) => {
      this.pending.get(reply.id)?.(reply.value);
      this.pending.delete(reply.id);
    });
  }

  static spawn(): FakeApiProcess {
    // The same tsx loader flags this process runs with, so the child can load TypeScript.
    const child = fork(benchFile, [CHILD_FLAG], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new FakeApiProcess(child);
  }

  call<T>(msg: ChildRequest): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (value: unknown) => void);
      this.child.send({ ...msg, id });
    });
  }

  stop(): void {
    if (this.child.connected) this.child.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// The gateway under test

interface Arrival {
  inboundAt: number;
  deliveredAt: number;
}

/** The gateway's inbound side, with a session step that records when each update arrived. */
class Gateway {
  readonly arrivals = new Map<number, Arrival>();
  private readonly inboundAt = new Map<string, number>();
  private waiters: { id: number; resolve: () => void }[] = [];
  private core!: GatewayCore;
  private manager!: ProviderManager;
  private db!: ReturnType<typeof openDatabase>;

  constructor(
    private readonly stateDir: string,
    private readonly configPath: string,
  ) {}

  async start(): Promise<void> {
    this.db = openDatabase(this.stateDir);
    this.core = new GatewayCore({
      db: this.db,
      stateDir: this.stateDir,
      configPath: this.configPath,
      log: silentLogger,
      deliver: (delivery) => this.onDelivered(delivery),
    }).start();
    this.manager = new ProviderManager({
      factories: { telegram: createTelegramProvider },
      inbound: async (envelope) => {
        this.inboundAt.set((envelope as Envelope).text, clock());
        await this.core.handleInbound(envelope);
      },
      registerChannel: (channel) => this.core.registerChannel(channel),
      onStatuses: () => undefined,
      log: silentLogger,
      stateDir: this.stateDir,
    });
    const config = loadConfigSync(this.configPath);
    if (!config.ok) throw new Error('bench config rejected');
    await this.manager.startAll(config.config);
    const deadline = Date.now() + 15_000;
    while (this.manager.list().find((s) => s.provider === 'telegram')?.state !== 'connected') {
      if (Date.now() > deadline) throw new Error('Telegram provider did not connect');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Resolves when update `id` reached the session step. */
  arrived(id: number): Promise<void> {
    if (this.arrivals.has(id)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ id, resolve }));
  }

  async stop(): Promise<void> {
    await this.manager.stopAll();
    this.core.stop();
    this.db.close();
  }

  private onDelivered(delivery: Delivery): void {
    const deliveredAt = clock();
    const text = delivery.envelope.text;
    const id = Number(/^u(\d+)/.exec(text)?.[1]);
    this.arrivals.set(id, { inboundAt: this.inboundAt.get(text) ?? NaN, deliveredAt });
    this.inboundAt.delete(text);
    if (this.waiters.length === 0) return;
    this.waiters = this.waiters.filter((w) => (w.id === id ? (w.resolve(), false) : true));
  }
}

// ---------------------------------------------------------------------------------------------
// The baseline: a plain HTTP client

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function getUpdates(
  apiRoot: string,
  token: string,
  body: { offset: number; limit: number; timeout: number },
): Promise<Update[]> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request(
      `${apiRoot}/bot${token}/getUpdates`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            ok: boolean;
            result: Update[];
          };
          if (parsed.ok) resolve(parsed.result);
          else reject(new Error(`getUpdates failed: ${JSON.stringify(parsed)}`));
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

// ---------------------------------------------------------------------------------------------
// One run of each figure

interface Throughput {
  perSecond: number;
  /** Median of (session step − poll response written) under this load, ms. */
  e2eMedianMs: number;
  /** Median of (envelope handed to the gateway → session step) under this load, ms. */
  pipelineMedianMs: number;
}

async function gatewayThroughput(
  api: FakeApiProcess,
  gateway: Gateway,
  count: number,
): Promise<Throughput> {
  const start = clock();
  const { first, last } = await api.call<{ first: number; last: number }>({
    type: 'push',
    bot: 'gateway',
    count,
  });
  await gateway.arrived(last);
  // Updates of different chats are handled concurrently: wait for every one, not just the last.
  for (let id = first; id <= last; id++) await gateway.arrived(id);
  let end = 0;
  for (let id = first; id <= last; id++) end = Math.max(end, gateway.arrivals.get(id)!.deliveredAt);
  const stamps = await api.call<number[]>({
    type: 'stamps',
    bot: 'gateway',
    from: first,
    to: last,
  });
  const e2e: number[] = [];
  const pipeline: number[] = [];
  for (let id = first; id <= last; id++) {
    const arrival = gateway.arrivals.get(id)!;
    e2e.push(arrival.deliveredAt - stamps[id - first]!);
    pipeline.push(arrival.deliveredAt - arrival.inboundAt);
    gateway.arrivals.delete(id);
  }
  return {
    perSecond: count / ((end - start) / 1000),
    e2eMedianMs: median(e2e),
    pipelineMedianMs: median(pipeline),
  };
}

async function baselineThroughput(
  api: FakeApiProcess,
  root: { apiRoot: string; token: string },
  count: number,
  offset: { value: number },
): Promise<number> {
  const start = clock();
  await api.call({ type: 'push', bot: 'baseline', count });
  let received = 0;
  while (received < count) {
    const updates = await getUpdates(root.apiRoot, root.token, {
      offset: offset.value,
      limit: 100,
      timeout: 0,
    });
    received += updates.length;
    const lastUpdate = updates[updates.length - 1];
    if (lastUpdate) offset.value = lastUpdate.update_id + 1;
  }
  return count / ((clock() - start) / 1000);
}

interface Latency {
  e2eMs: number;
  pipelineMs: number;
}

async function gatewayLatency(
  api: FakeApiProcess,
  gateway: Gateway,
  samples: number,
): Promise<Latency> {
  const ids: number[] = [];
  for (let i = 0; i < samples; i++) {
    const { last } = await api.call<{ last: number }>({ type: 'push', bot: 'gateway', count: 1 });
    await gateway.arrived(last);
    ids.push(last);
  }
  const stamps = await api.call<number[]>({
    type: 'stamps',
    bot: 'gateway',
    from: ids[0]!,
    to: ids[ids.length - 1]!,
  });
  const e2e = ids.map((id) => gateway.arrivals.get(id)!.deliveredAt - stamps[id - ids[0]!]!);
  const pipeline = ids.map((id) => {
    const arrival = gateway.arrivals.get(id)!;
    return arrival.deliveredAt - arrival.inboundAt;
  });
  for (const id of ids) gateway.arrivals.delete(id);
  return { e2eMs: median(e2e), pipelineMs: median(pipeline) };
}

async function baselineLatency(
  api: FakeApiProcess,
  root: { apiRoot: string; token: string },
  samples: number,
  offset: { value: number },
): Promise<number> {
  const received: { id: number; at: number }[] = [];
  for (let i = 0; i < samples; i++) {
    // A held long poll, as the runner keeps one; the update is pushed while it waits.
    const poll = getUpdates(root.apiRoot, root.token, {
      offset: offset.value,
      limit: 100,
      timeout: 30,
    });
    await new Promise((resolve) => setImmediate(resolve));
    await api.call({ type: 'push', bot: 'baseline', count: 1 });
    const updates = await poll;
    const at = clock();
    for (const update of updates) received.push({ id: update.update_id, at });
    offset.value = updates[updates.length - 1]!.update_id + 1;
  }
  const first = received[0]!.id;
  const stamps = await api.call<number[]>({
    type: 'stamps',
    bot: 'baseline',
    from: first,
    to: received[received.length - 1]!.id,
  });
  return median(received.map((r) => r.at - stamps[r.id - first]!));
}

// ---------------------------------------------------------------------------------------------
// Helpers and the report

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function fmtRate(perSecond: number): string {
  return Math.round(perSecond).toLocaleString('en-US');
}

function fmtMs(ms: number): string {
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  // The pipeline alone takes microseconds: show them rather than "0.00".
  return ms >= 1 ? ms.toFixed(2) : ms.toFixed(3);
}

function spread(values: number[], fmt: (v: number) => string): string {
  return `${fmt(Math.min(...values))}–${fmt(Math.max(...values))}`;
}

function machineNote(): string {
  const cpu = cpus();
  return [
    `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'})`,
    `${Math.round(totalmem() / 2 ** 30)} GiB RAM`,
    `Linux ${release()}`,
    `Node ${process.versions.node}`,
  ].join(', ');
}

function loadNote(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
}

interface Results {
  gateway: Throughput[];
  baseline: number[];
  latency: Latency[];
  baselineLatency: number[];
  machine: string;
  load: [string, string];
  date: string;
  sendMessages: number;
}

function renderSection(r: Results): string {
  const rate = median(r.gateway.map((g) => g.perSecond));
  const raw = median(r.baseline);
  const e2e = median(r.latency.map((l) => l.e2eMs));
  const rawLatency = median(r.baselineLatency);
  const added = e2e - rawLatency;
  const pipeline = median(r.latency.map((l) => l.pipelineMs));
  const ratios = r.gateway.map((g, i) => g.perSecond / r.baseline[i]!);
  const verdict = (ok: boolean) => (ok ? '**pass**' : '**FAIL**');
  const row = (name: string, values: number[], fmt: (v: number) => string, unit = '') =>
    `| ${name} | ${fmt(median(values))}${unit} | ${spread(values, fmt)}${unit} |`;
  return [
    START_MARKER,
    '## inbound',
    '',
    `Script: \`npm run bench:inbound\` (\`bench/inbound.ts\`). Last run: ${r.date}.`,
    `Machine: ${r.machine}. Load average (1/5/15 min) ${r.load[0]} at the start, ${r.load[1]} at the end`,
    '(the machine is shared; absolute figures move with its load, so each run also gives a ratio against',
    'its own baseline).',
    `Each figure is the median of ${r.baseline.length} timed runs after one discarded warm-up (min–max beside it);`,
    'gateway and baseline are measured in the same run, interleaved run by run.',
    '',
    `Setup: the fake Bot API server (\`test/fixtures/fake-telegram-api.ts\`, real HTTP on 127.0.0.1) in a`,
    'child process; the gateway side is real grammY (runner, auto-retry, `createTelegramProvider`) and the',
    'real `GatewayCore` + `ProviderManager` over SQLite, with a session step that records arrivals (no reply).',
    `Senders: ${SENDERS.toLocaleString('en-US')} ids in \`telegram.allowFrom\` (\`dmPolicy: "allowlist"\`), DMs round-robin.`,
    '',
    `### Throughput: ${UPDATES.toLocaleString('en-US')} queued updates → session step`,
    '',
    'Timed from asking the server to queue the updates (a long poll is waiting) until the last one reached',
    'the session step. Baseline: a plain `node:http` client (keep-alive, one request at a time) draining as',
    'many updates from the same server in `getUpdates` batches of 100 and parsing them.',
    '',
    '| figure | median | range |',
    '| --- | ---: | ---: |',
    row(
      'gateway: updates/s through grammY + pipeline',
      r.gateway.map((g) => g.perSecond),
      fmtRate,
    ),
    row('baseline: raw server throughput, updates/s', r.baseline, fmtRate),
    row('gateway ÷ baseline, per run', ratios, (v) => `${v.toFixed(2)}×`),
    row(
      '… under this load: envelope → session step, ms (median per update)',
      r.gateway.map((g) => g.pipelineMedianMs),
      fmtMs,
    ),
    row(
      '… under this load: poll response written → session step, ms (queueing included)',
      r.gateway.map((g) => g.e2eMedianMs),
      fmtMs,
    ),
    '',
    `### Latency: one update at a time (${LATENCY_SAMPLES} per run)`,
    '',
    'Each update is timed from the moment the server wrote the poll response carrying it to the session',
    'step (gateway), or to the plain client having parsed it (baseline); the clock is',
    '`performance.timeOrigin + now()` in both processes, and the difference of the two medians (the added',
    'latency) cancels the clocks’ skew and the HTTP hop.',
    '',
    '| figure | median ms | range ms |',
    '| --- | ---: | ---: |',
    row(
      'gateway: response written → session step',
      r.latency.map((l) => l.e2eMs),
      fmtMs,
    ),
    row('baseline: response written → plain client parsed it', r.baselineLatency, fmtMs),
    row(
      'pipeline alone: envelope handed to the gateway → session step',
      r.latency.map((l) => l.pipelineMs),
      fmtMs,
    ),
    '',
    '| target | measured | result |',
    '| --- | ---: | :---: |',
    `| ≥ ${TARGET_PER_S.toLocaleString('en-US')} updates/s | ${fmtRate(rate)} updates/s (${median(ratios).toFixed(2)}× the raw server in the same run; its median ${fmtRate(raw)}/s) | ${verdict(rate >= TARGET_PER_S)} |`,
    `| added latency < ${TARGET_ADDED_MS} ms (median) | ${fmtMs(added)} ms (${fmtMs(e2e)} − ${fmtMs(rawLatency)}); pipeline alone ${fmtMs(pipeline)} ms | ${verdict(added < TARGET_ADDED_MS)} |`,
    '',
    `Every update reached the session step (the bench waits for each by id, so a dropped one would stall it);`,
    `replies sent by the gateway during the bench: ${r.sendMessages} (the session step answers nothing).`,
    END_MARKER,
  ].join('\n');
}

function writeResults(section: string): void {
  let text = readFileSync(resultsFile, 'utf8');
  const start = text.indexOf(START_MARKER);
  const end = text.indexOf(END_MARKER);
  if (start >= 0 && end > start) {
    text = text.slice(0, start) + section + text.slice(end + END_MARKER.length);
  } else {
    text = `${text.trimEnd()}\n\n${section}\n`;
  }
  writeFileSync(resultsFile, text);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'clawdbot-bench-inbound-'));
  const api = FakeApiProcess.spawn();
  let gateway: Gateway | null = null;
  try {
    const machine = machineNote();
    const loadAtStart = loadNote();
    console.log(
      `inbound bench: ${RUNS} timed runs + 1 warm-up; ${UPDATES} updates per throughput run, ` +
        `${LATENCY_SAMPLES} single updates per latency run`,
    );
    console.log(`machine: ${machine}; load average ${loadAtStart}`);
    const roots = await api.call<Record<Bot, { apiRoot: string; token: string }>>({
      type: 'start',
    });
    const stateDir = join(root, 'state');
    const configPath = join(stateDir, 'clawdbot.json');
    const config: ConfigInput = {
      telegram: {
        botToken: roots.gateway.token,
        apiRoot: roots.gateway.apiRoot,
        dmPolicy: 'allowlist',
        allowFrom: senderIds.map(String),
      },
    };
    openDatabase(stateDir).close();
    writeFileSync(configPath, JSON.stringify(config, null, 2));
    gateway = new Gateway(stateDir, configPath);
    await gateway.start();
    await api.call({ type: 'calls', bot: 'gateway' });

    const offset = { value: 0 };
    const results: Omit<Results, 'machine' | 'load' | 'date' | 'sendMessages'> = {
      gateway: [],
      baseline: [],
      latency: [],
      baselineLatency: [],
    };
    for (let run = 0; run <= RUNS; run++) {
      const label = run === 0 ? 'warm-up' : `run ${run}/${RUNS}`;
      const g = await gatewayThroughput(api, gateway, UPDATES);
      const b = await baselineThroughput(api, roots.baseline, UPDATES, offset);
      const l = await gatewayLatency(api, gateway, LATENCY_SAMPLES);
      const bl = await baselineLatency(api, roots.baseline, LATENCY_SAMPLES, offset);
      console.log(
        `${label}: gateway ${fmtRate(g.perSecond)}/s (pipeline ${fmtMs(g.pipelineMedianMs)} ms, e2e ${fmtMs(g.e2eMedianMs)} ms) | ` +
          `raw ${fmtRate(b)}/s | latency gateway ${fmtMs(l.e2eMs)} ms (pipeline ${fmtMs(l.pipelineMs)} ms), raw ${fmtMs(bl)} ms`,
      );
      if (run === 0) continue;
      results.gateway.push(g);
      results.baseline.push(b);
      results.latency.push(l);
      results.baselineLatency.push(bl);
    }
    const calls = await api.call<Record<string, number>>({ type: 'calls', bot: 'gateway' });
    const section = renderSection({
      ...results,
      machine,
      load: [loadAtStart, loadNote()],
      date: new Date().toISOString(),
      sendMessages: calls['sendMessage'] ?? 0,
    });
    console.log('');
    console.log(
      section
        .split('\n')
        .filter((l) => l.startsWith('|') || l.startsWith('###'))
        .join('\n'),
    );
    if (process.env['BENCH_NO_WRITE'] === '1') {
      console.log('\nBENCH_NO_WRITE=1: bench/RESULTS.md left alone');
    } else {
      writeResults(section);
      console.log(`\nwrote the inbound section of ${resultsFile}`);
    }
  } finally {
    await gateway?.stop().catch(() => undefined);
    api.stop();
    agent.destroy();
    if (existsSync(root)) rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv.includes(CHILD_FLAG)) {
  void runChild();
} else {
  main().catch((error: unknown) => {
    process.exitCode = 1;
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  });
}
