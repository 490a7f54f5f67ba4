/**
 * One run of each inbound figure: throughput and single-update latency, for the gateway and for
 * the plain-client baseline, all against the same fake server.
 */
import { median } from '../lib/stats.js';
import { clock } from './context.js';
import type { Bot, BotRoot, FakeApiProcess } from './fake-api.js';
import type { Gateway } from './gateway.js';
import { getUpdates } from './plain-client.js';

/** One gateway throughput run. */
export interface Throughput {
  perSecond: number;
  /**
   * This process's CPU time (user + system) per update during the run, µs: what each update cost
   * the gateway, steadier than the rate on a shared machine (the fake server runs elsewhere).
   */
  cpuMicrosPerUpdate: number;
  /** Median of (session step − poll response written) under this load, ms. */
  e2eMedianMs: number;
  /** Median of (envelope handed to the gateway → session step) under this load, ms. */
  pipelineMedianMs: number;
}

/** One gateway latency run: medians over its single updates, ms. */
export interface Latency {
  e2eMs: number;
  pipelineMs: number;
}

/** The baseline's next `getUpdates` offset, carried from run to run. */
export interface Offset {
  value: number;
}

/**
 * `count` queued updates → session step, timed from asking the server to queue them; `bot` is
 * the one `gateway` polls.
 */
export async function gatewayThroughput(
  api: FakeApiProcess,
  gateway: Gateway,
  count: number,
  bot: Bot = 'gateway',
): Promise<Throughput> {
  const start = clock();
  const cpuBefore = process.cpuUsage();
  const { first, last } = await api.push(bot, count);
  await gateway.arrived(last);
  // Updates of different chats are handled concurrently: wait for every one, not just the last.
  for (let id = first; id <= last; id++) await gateway.arrived(id);
  const cpu = process.cpuUsage(cpuBefore);
  let end = 0;
  for (let id = first; id <= last; id++) end = Math.max(end, gateway.arrivals.get(id)!.deliveredAt);
  const stamps = await api.stamps(bot, first, last);
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
    cpuMicrosPerUpdate: (cpu.user + cpu.system) / count,
    e2eMedianMs: median(e2e),
    pipelineMedianMs: median(pipeline),
  };
}

/** The same number of updates drained by the plain client in batches of 100: updates/s. */
export async function baselineThroughput(
  api: FakeApiProcess,
  bot: BotRoot,
  count: number,
  offset: Offset,
): Promise<number> {
  const start = clock();
  await api.push('baseline', count);
  let received = 0;
  while (received < count) {
    const updates = await getUpdates(bot, { offset: offset.value, limit: 100, timeout: 0 });
    received += updates.length;
    const lastUpdate = updates[updates.length - 1];
    if (lastUpdate) offset.value = lastUpdate.update_id + 1;
  }
  return count / ((clock() - start) / 1000);
}

/** `samples` single updates, one at a time: medians of response written → session step. */
export async function gatewayLatency(
  api: FakeApiProcess,
  gateway: Gateway,
  samples: number,
  bot: Bot = 'gateway',
): Promise<Latency> {
  const ids: number[] = [];
  for (let i = 0; i < samples; i++) {
    const { last } = await api.push(bot, 1);
    await gateway.arrived(last);
    ids.push(last);
  }
  const stamps = await api.stamps(bot, ids[0]!, ids[ids.length - 1]!);
  const e2e = ids.map((id) => gateway.arrivals.get(id)!.deliveredAt - stamps[id - ids[0]!]!);
  const pipeline = ids.map((id) => {
    const arrival = gateway.arrivals.get(id)!;
    return arrival.deliveredAt - arrival.inboundAt;
  });
  for (const id of ids) gateway.arrivals.delete(id);
  return { e2eMs: median(e2e), pipelineMs: median(pipeline) };
}

/** `samples` single updates to the plain client: median of response written → parsed. */
export async function baselineLatency(
  api: FakeApiProcess,
  bot: BotRoot,
  samples: number,
  offset: Offset,
): Promise<number> {
  const received: { id: number; at: number }[] = [];
  for (let i = 0; i < samples; i++) {
    // A held long poll, as the provider keeps one; the update is pushed while it waits.
    const poll = getUpdates(bot, { offset: offset.value, limit: 100, timeout: 30 });
    await new Promise((resolve) => setImmediate(resolve));
    await api.push('baseline', 1);
    const updates = await poll;
    const at = clock();
    for (const update of updates) received.push({ id: update.update_id, at });
    offset.value = updates[updates.length - 1]!.update_id + 1;
  }
  const first = received[0]!.id;
  const stamps = await api.stamps('baseline', first, received[received.length - 1]!.id);
  return median(received.map((r) => r.at - stamps[r.id - first]!));
}
