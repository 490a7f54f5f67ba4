import { z } from 'zod';

/** A whole number in a range, with one message that says what is allowed. */
function wholeNumber(min: number, max: number, unit: string) {
  const error = `must be a whole number of ${unit} from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

const messagesPerMinute = wholeNumber(1, 10_000, 'messages per minute');
const burst = wholeNumber(1, 1_000, 'messages');
/** `null` means no daily cap; a number, model tokens (input and output) per local day. */
const dailyTokens = wholeNumber(1_000, 1_000_000_000_000, 'tokens');

/**
 * What one sender may cost: a token bucket for messages (`burst` at once, refilled at
 * `messagesPerMinute`) and a daily model-token budget. `null` switches a limit off.
 */
function senderLimits(defaults: { messagesPerMinute: number | null; dailyTokens: number | null }) {
  return z.strictObject({
    messagesPerMinute: messagesPerMinute.nullable().default(defaults.messagesPerMinute),
    burst: burst.default(5),
    dailyTokens: dailyTokens.nullable().default(defaults.dailyTokens),
  });
}

/** `limits.sender` / `limits.owner`, defaults applied. */
export type SenderLimits = z.infer<ReturnType<typeof senderLimits>>;

/**
 * `limits`: what one sender, one session and everyone together may cost, enforced before any
 * model call. Everyone but the owner gets `sender`; the owner is unlimited unless `owner` sets
 * something. Budgets count what the model API reports it used, per local day.
 */
export const LimitsConfigSchema = z.strictObject({
  /** Longer inbound text is cut to this many characters, with a marker, before it is stored or sent on. */
  maxInboundChars: wholeNumber(100, 1_000_000, 'characters').default(16_000),
  /** Messages a session holds waiting for an answer; more are dropped, with one notice. */
  maxQueuedPerSession: wholeNumber(1, 1_000, 'messages').default(10),
  /** Model tokens per day for everyone together (the owner's use counts, but only others stop). */
  dailyTokens: dailyTokens.nullable().default(null),
  /** Each sender who is not the owner: friends, members of groups, `open` strangers. */
  sender: senderLimits({ messagesPerMinute: 20, dailyTokens: 200_000 }).prefault({}),
  /** The owner, on every provider and the console together. */
  owner: senderLimits({ messagesPerMinute: null, dailyTokens: null }).prefault({}),
});
/** `limits`, defaults applied. */
export type LimitsConfig = z.infer<typeof LimitsConfigSchema>;
