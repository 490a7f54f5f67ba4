import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/store/open-database.js';
import { createUsageRepo } from '../../src-main/store/usage-repo.js';
import { createContractHandlers } from '../../src-main/supervisor/contract-handlers.js';
import { createDispatch } from '../../src-main/supervisor/ipc-router.js';
import type { UsageHistory } from '../../src-shared/domain/usage-history.js';
import type { Envelope } from '../../src-shared/ipc/envelope.js';
import { useSupervisors } from '../helpers/supervisor.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

/** `usage:history` over the contract: today or 30 days, validated, old days deleted. */
describe('usage history channel', () => {
  const tempStateDir = useTempStateDirs();
  const openSupervisor = useSupervisors();

  function setup() {
    const stateDir = tempStateDir();
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(stateDir, 'clawdbot.json'), "{ telegram: { allowFrom: ['222'] } }");
    const clock = join(dirname(stateDir), 'clock');
    writeFileSync(clock, new Date(2031, 5, 1, 9, 30).toISOString());
    const db = openDatabase(stateDir);
    const usage = createUsageRepo(db);
    const call = (day: string, tokens: number) =>
      usage.recordModelCall(
        {
          day,
          sender: 'telegram:222',
          senderName: 'Bea',
          owner: false,
          sessionKey: 'dm:telegram:222',
        },
        { inputTokens: tokens, outputTokens: 0, estimated: false },
      );
    call('2031-06-01', 1_000);
    call('2031-05-10', 3_000);
    call('2031-03-03', 7_000); // the 91st day back: older than the 90 days kept
    db.close();
    const supervisor = openSupervisor({ stateDir, env: { CLAWDBOT_TEST_CLOCK_FILE: clock } });
    const dispatch = createDispatch(createContractHandlers(supervisor));
    const ask = (channel: string, input: unknown): Promise<Envelope<unknown>> =>
      dispatch(channel, input, { transport: 'web' });
    return { ask, stateDir };
  }

  it('answers today and 30 days, senders with their allowlist label', async () => {
    const { ask } = setup();
    const labelled = await ask('allowlist:label', {
      provider: 'telegram',
      kind: 'dm',
      id: '222',
      label: 'Work phone',
    });
    expect(labelled.ok).toBe(true);
    const month = await ask('usage:history', { range: '30d' });
    if (!month.ok) throw new Error(month.error.message);
    const history = month.value as UsageHistory;
    expect(history).toMatchObject({ days: 30, from: '2031-05-03', to: '2031-06-01' });
    expect(history.total.tokens).toBe(4_000);
    expect(history.senders).toEqual([
      expect.objectContaining({ sender: 'telegram:222', label: 'Work phone', name: 'Bea' }),
    ]);
    const today = await ask('usage:history', { range: 'today' });
    if (!today.ok) throw new Error(today.error.message);
    expect((today.value as UsageHistory).total.tokens).toBe(1_000);
  });

  it('deletes the days older than 90 when it starts', () => {
    const { stateDir } = setup();
    const db = openDatabase(stateDir);
    const usage = createUsageRepo(db);
    expect(usage.rowsBetween('2000-01-01', '2031-03-03')).toEqual([]);
    expect(usage.rowsBetween('2031-03-04', '2031-06-01')).toHaveLength(2);
    db.close();
  });

  it('refuses a range it does not know, naming what was wrong', async () => {
    const { ask } = setup();
    for (const [input, message] of [
      [{ range: '7d' }, "usage:history: range: range must be 'today' or '30d'"],
      [{}, "usage:history: range: range must be 'today' or '30d'"],
      [{ range: 'today', days: 3 }, 'usage:history: (input): Unrecognized key: "days"'],
    ] as const) {
      const reply = await ask('usage:history', input);
      expect(reply.ok ? null : reply.error.message).toBe(message);
    }
  });
});
