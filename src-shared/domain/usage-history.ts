import { z } from 'zod';
import { LimitsConfigSchema } from '../config/limits-schema.js';
import { countsShape } from './usage.js';

/** The spans the Usage view switches between: the current local day, or the last 30. */
export const USAGE_RANGES = ['today', '30d'] as const;

/** A span of usage history: `today` or `30d`. */
export const UsageRangeSchema = z.enum(USAGE_RANGES, {
  error: "range must be 'today' or '30d'",
});
/** A span of usage history. */
export type UsageRange = z.infer<typeof UsageRangeSchema>;

/** Local days a range covers, today included. */
export const RANGE_DAYS: Readonly<Record<UsageRange, number>> = { today: 1, '30d': 30 };

/**
 * Days of usage kept in the database: older per-day counts are deleted at local midnight
 * (budgets only ever count today; the view and `clawdbot usage --days` look back at most this far).
 */
export const USAGE_RETENTION_DAYS = 90;

/** How a row's use compares with the daily budget that applies to it. */
const againstBudgetShape = {
  /** The daily token budget that applies; null: none. */
  dailyTokens: z.number().int().nullable(),
  /** The most tokens used on one day of the range (today's, for `today`). */
  peakTokens: z.number().int(),
  /** Days of the range on which the tokens reached the daily budget. */
  daysAtBudget: z.number().int(),
};

/** One local day's use by everyone, with the tool calls the assistant made. */
export const UsageDaySchema = z.object({
  /** `YYYY-MM-DD`, local. */
  day: z.string(),
  ...countsShape,
  toolCalls: z.number().int(),
});
/** One local day's use. */
export type UsageDay = z.infer<typeof UsageDaySchema>;

/** One sender's use over the range, against their daily budget. */
export const SenderHistorySchema = z.object({
  /** `owner`, or `<provider>:<sender id>`. */
  sender: z.string(),
  owner: z.boolean(),
  /** The display name the platform gave last (or the allowlist's), if any. */
  name: z.string().nullable(),
  /** The owner's own label for them in the allowlist, if any. */
  label: z.string().nullable(),
  ...countsShape,
  ...againstBudgetShape,
  /** Today's budget is used up: no model calls for this sender until local midnight. */
  exhausted: z.boolean(),
  sessions: z.array(z.string()),
});
/** One sender's use over the range. */
export type SenderHistory = z.infer<typeof SenderHistorySchema>;

/** One session's use over the range. */
export const SessionHistorySchema = z.object({
  sessionKey: z.string(),
  /** The session's title (the chat's or peer's name), when the transcript has it. */
  title: z.string().nullable(),
  ...countsShape,
  toolCalls: z.number().int(),
  /**
   * The budget it runs against: its only sender's own, or (several senders) everyone's; the
   * peak and days at budget are its own tokens against it.
   */
  ...againstBudgetShape,
  senders: z.array(z.string()),
});
/** One session's use over the range. */
export type SessionHistory = z.infer<typeof SessionHistorySchema>;

/** Model use per day, sender and session over a range, against the limits in force. */
export const UsageHistorySchema = z.object({
  /** Local days covered, today included (1: today only). */
  days: z.number().int(),
  /** The first and last local day covered, `YYYY-MM-DD`. */
  from: z.string(),
  to: z.string(),
  /** When today's budgets reset: the next local midnight (ms since the epoch). */
  resetsAt: z.number(),
  /** Every day of the range, oldest first, days with no use included. */
  perDay: z.array(UsageDaySchema),
  total: z.object({
    ...countsShape,
    toolCalls: z.number().int(),
    ...againstBudgetShape,
    /** Everyone's budget is used up today. */
    exhausted: z.boolean(),
  }),
  /** Most tokens first. */
  senders: z.array(SenderHistorySchema),
  /** Most tokens first. */
  sessions: z.array(SessionHistorySchema),
  /** Some calls were counted from an estimate because the model server reported no usage. */
  estimated: z.boolean(),
  /** The limits in force (from the last good config). */
  limits: LimitsConfigSchema,
});
/** Model use over a range. */
export type UsageHistory = z.infer<typeof UsageHistorySchema>;
