import { z } from 'zod';
import { AllowEntrySchema, CommandWhereSchema } from '../config/approvals-schema.js';
import { SandboxEngineRefSchema } from './sandbox-engine-ref.js';

/** Where the owner decided: every surface that shows a request. */
export const DecisionSurfaceSchema = z.enum([
  'desktop',
  'tray',
  'web',
  'cli',
  'telegram',
  'whatsapp',
  'system',
]);
/** Where the owner decided. */
export type DecisionSurface = z.infer<typeof DecisionSurfaceSchema>;

/** The owner's answer: run it this once, run it and add it to the allowlist, or not. */
export const ApprovalChoiceSchema = z.enum(['once', 'always', 'deny']);
/** The owner's answer. */
export type ApprovalChoice = z.infer<typeof ApprovalChoiceSchema>;

/**
 * How a request ended: `once`/`always` (allowed), `deny` (the owner said no), `timeout`,
 * `kill-switch` (engaged while it waited), `stopped` (the gateway stopped or restarted).
 */
export const ApprovalOutcomeSchema = z.enum([
  'once',
  'always',
  'deny',
  'timeout',
  'kill-switch',
  'stopped',
]);
/** How a request ended. */
export type ApprovalOutcome = z.infer<typeof ApprovalOutcomeSchema>;

/** One request for the owner's decision on a command, pending or decided. */
export const ApprovalRequestSchema = z.object({
  /** Short and typable: `/approve ID once`, `clawdbot approvals allow ID`. */
  id: z.string(),
  sessionKey: z.string(),
  /** The exact text that will run. */
  command: z.string(),
  where: CommandWhereSchema,
  /**
   * For a sandboxed command: the engine and runtime it was asked for, as they were then. Null
   * on the host, and for a request stored before they were recorded (or a record that does not
   * parse): shown as not recorded, never filled in with the engine configured now.
   */
  engine: SandboxEngineRefSchema.nullable().catch(null),
  cwd: z.string(),
  /** Who asked: the sender of the message the turn answers, and that message, trimmed. */
  senderId: z.string(),
  senderName: z.string().nullable(),
  provider: z.string(),
  message: z.string(),
  /** An elevated turn of someone other than the owner. */
  elevated: z.boolean(),
  requestedAt: z.number(),
  expiresAt: z.number(),
  state: z.enum(['pending', 'allowed', 'denied']),
  outcome: ApprovalOutcomeSchema.nullable(),
  decidedBy: z.string().nullable(),
  decidedVia: DecisionSurfaceSchema.nullable(),
  decidedAt: z.number().nullable(),
});
/** One request for the owner's decision. */
export type ApprovalRequest = z.infer<typeof ApprovalRequestSchema>;

/** What the Approvals view shows: pending first, then 30 days of history, and the allowlist. */
export const ApprovalsOverviewSchema = z.object({
  pending: z.array(ApprovalRequestSchema),
  history: z.array(ApprovalRequestSchema),
  allowlist: z.array(AllowEntrySchema),
  policy: z.object({ host: z.string(), sandbox: z.string(), timeoutSec: z.number() }),
});
/** What the Approvals view shows. */
export type ApprovalsOverview = z.infer<typeof ApprovalsOverviewSchema>;

/** How long decided requests are kept. */
export const APPROVALS_HISTORY_DAYS = 30;

export { DENIED_TEXT } from './tool-call-status.js';

/** The id format: six characters, letters and digits without look-alikes. */
export const APPROVAL_ID_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Where a command would run, in words: `on the host` or `in its sandbox`. */
export function whereInWords(where: ApprovalRequest['where']): string {
  switch (where) {
    case 'host':
      return 'on the host';
    case 'sandbox':
      return 'in its sandbox';
    default: {
      const unknown: never = where;
      throw new Error(`unknown place ${String(unknown)}`);
    }
  }
}
