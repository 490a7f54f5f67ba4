import { z } from 'zod';
import { KillSwitchStateSchema } from './kill-switch.js';
import { SessionSummarySchema } from './transcript.js';

/** How far back "sessions active before the kill" reaches. */
export const INCIDENT_WINDOW_MS = 60 * 60 * 1000;

/** Log lines shown before and after the incident's moment. */
export const INCIDENT_LOG_BEFORE = 20;
export const INCIDENT_LOG_AFTER = 20;

/** Sessions listed at most; an hour with more is itself the finding. */
export const MAX_INCIDENT_SESSIONS = 200;

/** The longest security prompt accepted: rules, not a manual (and not a pasted log file). */
export const MAX_SECURITY_PROMPT_LENGTH = 20_000;

/**
 * The secrets the rotation checklist knows. An enum, so a tick can only ever name one of them:
 * the checklist table never holds text a caller made up.
 */
export const IncidentSecretIdSchema = z.enum([
  'telegram-token',
  'model-key',
  'whatsapp-link',
  'web-token',
]);
/** One secret of the rotation checklist. */
export type IncidentSecretId = z.infer<typeof IncidentSecretIdSchema>;

/** A configured secret: its name and where it lives, never its value (nor any part of it). */
export const IncidentSecretSchema = z.object({
  id: IncidentSecretIdSchema,
  name: z.string(),
  /** Where the secret is kept: a config key and file, an environment variable, a directory. */
  location: z.string(),
  /** How to replace it, step by step. */
  rotate: z.string(),
  /** Where to do it (the provider's key console), when there is one page for it. */
  url: z.string().nullable(),
  /** When the owner ticked it off for this incident; null while not done. */
  checkedAt: z.number().nullable(),
});
/** A configured secret, without its value. */
export type IncidentSecret = z.infer<typeof IncidentSecretSchema>;

/** A session active in the incident's window. */
export const IncidentSessionSchema = SessionSummarySchema.extend({
  /** Events the session stored inside the window (eventCount is all of them). */
  eventsInWindow: z.number().int(),
});
/** A session active in the incident's window. */
export type IncidentSession = z.infer<typeof IncidentSessionSchema>;

/**
 * The incident: the moment the kill switch was engaged or, with the switch armed, now; and what
 * the owner needs around that moment. `id` keys the checklist: the engagement time, or 0 for the
 * standing checklist used while nothing is engaged.
 */
export const IncidentCoreSchema = z.object({
  id: z.number().int().min(0),
  at: z.number(),
  engaged: z.boolean(),
  windowFrom: z.number(),
  windowTo: z.number(),
  killSwitch: KillSwitchStateSchema,
  sessions: z.array(IncidentSessionSchema),
  /** Sessions beyond MAX_INCIDENT_SESSIONS were left out. */
  sessionsTruncated: z.boolean(),
  secrets: z.array(IncidentSecretSchema),
});
/** The incident without its log lines (those are typed by the contract's log line). */
export type IncidentCore = z.infer<typeof IncidentCoreSchema>;

/** Ticks or unticks one checklist item of one incident. */
export const IncidentCheckInputSchema = z.strictObject({
  incident: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  item: IncidentSecretIdSchema,
  checked: z.boolean(),
});

/** `agent.securityPrompt` as the editor reads it, with the built-in rules beside it. */
export const SecurityPromptViewSchema = z.object({
  mode: z.enum(['extend', 'replace']),
  text: z.string(),
  defaultRules: z.string(),
  configPath: z.string(),
  /** Why the config could not be read (the editor then refuses to save over it). */
  configErrors: z.array(z.string()),
  /** False when the last save had to rewrite the file without its comments. */
  commentsKept: z.boolean(),
});
/** `agent.securityPrompt` as the editor reads it. */
export type SecurityPromptView = z.infer<typeof SecurityPromptViewSchema>;

/** Control characters other than tabs and line breaks: no place in rules a person writes. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** A new `agent.securityPrompt`. */
export const SecurityPromptInputSchema = z.strictObject({
  mode: z.enum(['extend', 'replace']),
  text: z
    .string()
    .max(MAX_SECURITY_PROMPT_LENGTH)
    .refine((text) => !CONTROL_CHARACTERS.test(text), 'contains control characters'),
});
