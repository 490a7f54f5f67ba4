import { z } from 'zod';
import { SessionSummarySchema, TranscriptEventSchema } from './transcript.js';

/** Most sessions the dashboard's "active sessions" card asks for. */
export const MAX_RECENT_SESSIONS = 20;

/**
 * A session as the dashboard's overview shows it: its summary and its latest transcript event,
 * from which the card says what it is doing now (running a command, waiting for the model, idle).
 */
export const RecentSessionSchema = z.object({
  session: SessionSummarySchema,
  /** The newest event of its transcript; null for a session with none yet. */
  last: TranscriptEventSchema.nullable(),
});

/** A session and its latest event. */
export type RecentSession = z.infer<typeof RecentSessionSchema>;
