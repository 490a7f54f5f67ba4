import type { Database } from 'better-sqlite3';
import { OWNER_SENDER } from '../../src-shared/domain/usage.js';
import { createUsageRepo, localDays } from '../../src-main/store/usage-repo.js';

/**
 * Seeds 30 days of model use the way the busy state's sessions would have made it: the owner
 * every day in `main`, and up to six friends (`dm:telegram:1001`…) on some days. Friend 1 has
 * used up the default daily budget today (blocked), friend 2 reached it on one day before.
 */
export function seedUsageHistory(db: Database, friends: number, now = Date.now()): void {
  const usage = createUsageRepo(db);
  const call = (day: string, n: number, tokens: number) =>
    usage.recordModelCall(
      {
        day,
        sender: n === 0 ? OWNER_SENDER : `telegram:${1000 + n}`,
        senderName: n === 0 ? null : `Friend ${n}`,
        owner: n === 0,
        sessionKey: n === 0 ? 'main' : `dm:telegram:${1000 + n}`,
      },
      {
        inputTokens: Math.round(tokens * 0.8),
        outputTokens: Math.round(tokens * 0.2),
        estimated: false,
      },
    );
  db.transaction(() => {
    const days = localDays(now, 30);
    days.forEach(({ day }, i) => {
      call(day, 0, 8_000 + ((i * 7_919) % 20_000));
      for (let n = 1; n <= Math.min(friends, 6); n++) {
        if ((i + n) % 3 === 0) call(day, n, 3_000 * n + ((i * 1_237) % 5_000));
      }
    });
    const today = days.at(-1)?.day;
    const earlier = days[10]?.day;
    if (today && friends >= 1) call(today, 1, 210_000);
    if (earlier && friends >= 2) call(earlier, 2, 205_000);
  })();
}
