import { z } from 'zod';

/** One hour of activity, as the dashboard's chart shows it. */
export const ActivityHourSchema = z.object({
  /** The hour's start (ms since the epoch, on a whole UTC hour). */
  start: z.number(),
  /** Messages that reached a session (people's, not the assistant's replies). */
  messages: z.number().int().nonnegative(),
  /** Tool calls the assistant made. */
  toolCalls: z.number().int().nonnegative(),
  /** Attempts stopped: strangers held for pairing, pairing rejected, elevation refused. */
  blocked: z.number().int().nonnegative(),
});

/** One hour of activity. */
export type ActivityHour = z.infer<typeof ActivityHourSchema>;
