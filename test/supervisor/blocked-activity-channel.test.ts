import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBlockedCountsRepo } from '../../src-main/store/blocked-counts-repo.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { createContractHandlers } from '../../src-main/supervisor/contract-handlers.js';
import { createDispatch } from '../../src-main/supervisor/ipc-router.js';
import type { ActivityHour } from '../../src-shared/domain/activity.js';
import { useSupervisors } from '../helpers/supervisor.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

const DAY = 24 * 3_600_000;

/**
 * `activity:day` over the contract, what the 24-hour chart and the Blocked today card both
 * show: the blocked attempts the gateway counted (a refused group, a rate-limited flood) are in
 * it, and counts older than the 90 days usage is kept are deleted when the supervisor starts.
 */
describe('blocked attempts over the contract', () => {
  const tempStateDir = useTempStateDirs();
  const openSupervisor = useSupervisors();

  it('serves the counted attempts and deletes those older than 90 days', async () => {
    const stateDir = tempStateDir();
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(stateDir, 'clawdbot.json'), '{}');
    const now = Date.now();
    const db = openDatabase(stateDir);
    const blocked = createBlockedCountsRepo(db);
    const group = { provider: 'telegram', chatId: '-5', senderId: '', reason: 'group-not-allowed' };
    blocked.count({ ...group, at: now - 91 * DAY });
    blocked.count({ ...group, at: now - 60_000 });
    for (let i = 0; i < 4; i++) {
      blocked.count({
        at: now - 1_000 + i,
        provider: 'telegram',
        chatId: '7',
        senderId: '7',
        reason: 'rate-limited',
      });
    }
    db.close();

    const supervisor = openSupervisor({ stateDir });
    const dispatch = createDispatch(createContractHandlers(supervisor));
    const reply = await dispatch('activity:day', {}, { transport: 'web' });
    if (!reply.ok) throw new Error(reply.error.message);
    const hours = reply.value as ActivityHour[];
    expect(hours.reduce((sum, h) => sum + h.blocked, 0)).toBe(5);

    const after = openDatabase(stateDir);
    try {
      expect(
        createBlockedCountsRepo(after)
          .since(0)
          .map((r) => r.count),
      ).toEqual(expect.arrayContaining([1, 4]));
      expect(createBlockedCountsRepo(after).since(0)).toHaveLength(2);
    } finally {
      after.close();
    }
  });
});
