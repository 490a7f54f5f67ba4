import type { Database } from 'better-sqlite3';
import type { ActivityHour } from '../../src-shared/domain/activity.js';

const HOUR = 3_600_000;

interface CountRow {
  hour: number;
  what: 'messages' | 'toolCalls' | 'blocked';
  n: number;
}

/**
 * Activity counts by hour, read from the transcripts, the access audit and the blocked counts.
 * This is the one definition of what the dashboard counts as blocked: the 24-hour chart and the
 * Blocked today card both read it (`activity:day`).
 */
export interface ActivityRepo {
  /** The 24 hours up to `now`, oldest first, the current (partial) hour last. */
  lastDay(now: number): ActivityHour[];
}

/** The activity repository over the shared database. */
export function createActivityRepo(db: Database): ActivityRepo {
  // One pass per source over the indexed time columns. Blocked counts what identity and scope
  // stopped before any model saw it: strangers held for pairing and pairings rejected (the access
  // audit), elevation refused (the transcripts), and what the gateway counts in blocked_counts
  // (refused groups and group members, strangers turned away, rate-limited floods; see
  // src-main/gateway/inbound/blocked-attempts.ts for which drops count and why).
  const counts = db.prepare<{ since: number }, CountRow>(
    `SELECT at / ${HOUR} AS hour,
            CASE kind WHEN 'inbound' THEN 'messages' WHEN 'tool-call' THEN 'toolCalls'
                      ELSE 'blocked' END AS what,
            COUNT(*) AS n
     FROM session_events
     WHERE at >= @since AND (kind IN ('inbound', 'tool-call')
       OR (kind = 'elevated' AND json_extract(data, '$.action') = 'refused'))
     GROUP BY hour, what
     UNION ALL
     SELECT at / ${HOUR} AS hour, 'blocked' AS what, COUNT(*) AS n
     FROM access_audit
     WHERE at >= @since AND action IN ('pairing-requested', 'pairing-rejected')
     GROUP BY hour
     UNION ALL
     SELECT hour / ${HOUR} AS hour, 'blocked' AS what, SUM(count) AS n
     FROM blocked_counts
     WHERE hour >= @since
     GROUP BY hour`,
  );
  return {
    lastDay(now) {
      const current = Math.floor(now / HOUR);
      const first = current - 23;
      const hours: ActivityHour[] = Array.from({ length: 24 }, (_, i) => ({
        start: (first + i) * HOUR,
        messages: 0,
        toolCalls: 0,
        blocked: 0,
      }));
      for (const row of counts.all({ since: first * HOUR })) {
        const hour = hours[row.hour - first];
        if (hour) hour[row.what] += row.n;
      }
      return hours;
    },
  };
}
