import { z } from 'zod';
import { TOOL_CALL_STATUSES, type ToolCallStatus } from './tool-call-status.js';

/**
 * What can happen in a session, in the order it happened:
 * - `inbound`: a message that reached the session (text is the sender's, untrusted);
 * - `assistant`: text the agent sent back;
 * - `tool-call`: the model asked for a tool (data: `{ tool, args, callId, where }`, and for a
 *   sandbox `engine` (its address) and `runtime` (null: the engine's default));
 * - `tool-result`: how the call ended (data: `{ tool, callId, ok, status, where, durationMs }`):
 *   every call gets exactly one, even when it never ran or its gateway was killed (see
 *   {@link ToolCallStatusSchema});
 * - `error`: a model or tool failure, as the sender was told it;
 * - `elevated`: elevated switched on/off, refused, or a host command run through it;
 * - `access`: an access decision that affected the session (approval, removal, refusal);
 * - `session`: the conversation started afresh (`/new`, idle reset);
 * - `approval`: a command waited for the owner's decision, and what the owner decided.
 */
export const TranscriptEventKindSchema = z.enum([
  'inbound',
  'assistant',
  'tool-call',
  'tool-result',
  'error',
  'elevated',
  'access',
  'session',
  'approval',
]);
/** A transcript event kind. */
export type TranscriptEventKind = z.infer<typeof TranscriptEventKindSchema>;

/** Where a tool ran: inside the session's container, or on the host. */
export const ToolLocationSchema = z.enum(['sandbox', 'host']);
/** Where a tool ran. */
export type ToolLocation = z.infer<typeof ToolLocationSchema>;

/**
 * How a tool call ended — the final state every call reaches:
 * - `ok`: it ran and succeeded;
 * - `error`: it ran (or tried to) and failed: a non-zero exit, a timeout, bad arguments;
 * - `refused`: the gateway would not run it: a tool this session is not offered, or a sandbox
 *   that cannot be reached (nothing falls back to the host);
 * - `denied`: the owner, or the approvals policy, said no;
 * - `killed`: the kill switch stopped it (written by the kill switch once the gateway is dead);
 * - `interrupted`: its gateway stopped or crashed before it finished (written when the gateway
 *   starts again).
 */
export const ToolCallStatusSchema = z.enum(TOOL_CALL_STATUSES);
export type { ToolCallStatus };

/**
 * How the call a `tool-result` event closes ended: its `status`, or for results stored before
 * calls had one, `ok` or `error` from its `ok` flag.
 */
export function toolResultStatus(result: Pick<TranscriptEvent, 'data'>): ToolCallStatus {
  const parsed = ToolCallStatusSchema.safeParse(result.data?.['status']);
  if (parsed.success) return parsed.data;
  return result.data?.['ok'] === false ? 'error' : 'ok';
}

/** One stored event of a session's transcript. `id` grows monotonically across all sessions. */
export const TranscriptEventSchema = z.object({
  id: z.number().int(),
  sessionKey: z.string(),
  at: z.number(),
  kind: TranscriptEventKindSchema,
  /** Who: the sender's display name or id, `assistant`, a tool name, `system`. */
  actor: z.string(),
  text: z.string(),
  /** Structured details (tool arguments, result status); never a secret. */
  data: z.record(z.string(), z.unknown()).nullable(),
});
/** One stored transcript event. */
export type TranscriptEvent = z.infer<typeof TranscriptEventSchema>;

/**
 * Whether an event is a message that waited while the gateway was down for longer than
 * `session.catchUpMinutes`: recorded as missed, never answered, never shown to the model.
 */
export function isMissedMessage(event: Pick<TranscriptEvent, 'kind' | 'data'>): boolean {
  return event.kind === 'inbound' && event.data?.['missed'] === true;
}

/** How much a session is trusted (the access pipeline's trust step). */
export const SessionTrustSchema = z.enum(['owner', 'allowed', 'public', 'group']);
/** A session's trust level. */
export type SessionTrust = z.infer<typeof SessionTrustSchema>;

/** One session, as the Sessions view lists it. */
export const SessionSummarySchema = z.object({
  key: z.string(),
  provider: z.string(),
  chatKind: z.enum(['dm', 'group']),
  /** The peer's or group's id (`owner` for `main`). */
  peerId: z.string(),
  /** The peer's or group's display name when known. */
  title: z.string().nullable(),
  trust: SessionTrustSchema,
  /** Where this session's tools run under the config in force. */
  toolsRunIn: ToolLocationSchema,
  elevated: z.boolean(),
  createdAt: z.number(),
  lastActivityAt: z.number(),
  eventCount: z.number().int(),
});
/** One session's summary. */
export type SessionSummary = z.infer<typeof SessionSummarySchema>;

/** Longest search query the transcript search accepts. */
export const MAX_TRANSCRIPT_QUERY_LENGTH = 200;
/** Most events one page of a transcript carries. */
export const MAX_TRANSCRIPT_PAGE = 5000;
