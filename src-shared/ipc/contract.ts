import { z } from 'zod';
import { LogLevelSchema } from '../config/logging-schema.js';
import type { EventNameString, InvokeChannelName } from './channel-names.js';
import {
  AllowlistKindSchema,
  MAX_ALLOWLIST_LABEL,
  PairingApprovalSchema,
  PairingCodeSchema,
  PairingRequestSchema,
} from '../domain/access.js';
import { AllowlistOverviewSchema } from '../domain/allowlist-overview.js';
import { AuditFixResultSchema, AuditReportSchema } from '../domain/audit.js';
import { ConfigStatusSchema } from '../domain/config-status.js';
import {
  ConfigChangesInputSchema,
  ConfigPreviewSchema,
  ConfigSaveResultSchema,
  ConfigViewSchema,
} from '../domain/config-edit.js';
import { DoctorReportSchema } from '../domain/doctor.js';
import { GatewayStatusSchema } from '../domain/gateway.js';
import { LogStatusSchema } from '../domain/log-status.js';
import { EngineHealthSchema } from '../domain/engine-health.js';
import { ImageBuildStateSchema } from '../domain/image-build.js';
import { MessagingProviderSchema } from '../domain/providers.js';
import {
  ConsoleMessageSchema,
  MAX_CONSOLE_MESSAGE_LENGTH,
  ProviderActionSchema,
  ProviderStatusSchema,
} from '../domain/provider-status.js';
import {
  ContainerNameSchema,
  SandboxFileSchema,
  SandboxListSchema,
  WorkspacePathSchema,
} from '../domain/sandbox.js';
import { MAX_API_KEY_LENGTH, ModelStatusSchema } from '../domain/model-status.js';
import { UsageReportSchema } from '../domain/usage.js';
import { UsageHistorySchema, UsageRangeSchema } from '../domain/usage-history.js';
import {
  SETUP_STEPS,
  SetupStateSchema,
  SetupStepSchema,
  TelegramBotSchema,
  TelegramTokenSchema,
} from '../domain/setup.js';
import {
  MAX_TRANSCRIPT_PAGE,
  MAX_TRANSCRIPT_QUERY_LENGTH,
  SessionSummarySchema,
  TranscriptEventSchema,
} from '../domain/transcript.js';
import {
  IncidentCheckInputSchema,
  IncidentCoreSchema,
  IncidentSecretSchema,
  SecurityPromptInputSchema,
  SecurityPromptViewSchema,
} from '../domain/incident.js';
import { ActivityHourSchema } from '../domain/activity.js';
import { MAX_RECENT_SESSIONS, RecentSessionSchema } from '../domain/session-activity.js';
import {
  KillHistoryEntrySchema,
  KillReportSchema,
  KillSwitchStateSchema,
  MAX_KILL_REASON_LENGTH,
} from '../domain/kill-switch.js';

import {
  ApprovalChoiceSchema,
  ApprovalRequestSchema,
  ApprovalsOverviewSchema,
} from '../domain/approvals.js';
import {
  AllowEntrySchema,
  AllowMatchSchema,
  CommandWhereSchema,
} from '../config/approvals-schema.js';

const providerInput = MessagingProviderSchema;

/** Everything the dashboard needs in one read. */
export const StatusSnapshotSchema = z.object({
  gateway: GatewayStatusSchema,
  killSwitch: KillSwitchStateSchema,
  /**
   * Which config is in force: the file, the last good one (file rejected), or safe defaults.
   * Always sent by the supervisor; optional so a snapshot without it still parses.
   */
  config: ConfigStatusSchema.optional(),
  /** Where the audit trail is written, and whether that is where the config says. */
  logging: LogStatusSchema,
  /** Today's model use against the limits; absent when it could not be read. */
  usage: UsageReportSchema.optional(),
  /**
   * The sandbox engine: where it is, TLS, reachable, version, runtime, the image and its age,
   * this installation's sandbox count. Asked in the background (at most every 15 s): absent
   * until the first answer.
   */
  sandboxEngine: EngineHealthSchema.optional(),
});

/** Everything the dashboard needs in one read. */
export type StatusSnapshot = z.infer<typeof StatusSnapshotSchema>;

const noInput = z.strictObject({});

/** The log viewer's filters (see src-main/logs/log-filter.ts); `day` defaults to today. */
const logFilterInput = {
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  levels: z.array(LogLevelSchema).max(4).optional(),
  processes: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
  scopes: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
  text: z.string().max(200).optional(),
  /** Lines per page: small, so the renderer only ever holds what it shows. */
  limit: z.number().int().min(1).max(500).default(200),
};
/** One log line read back: its fields parsed, or (malformed) only its raw text. */
export const LogLineSchema = z.object({
  line: z.number().int(),
  time: z.string().nullable(),
  level: LogLevelSchema.nullable(),
  process: z.string().nullable(),
  scope: z.string().nullable(),
  msg: z.string().nullable(),
  fields: z.record(z.string(), z.unknown()),
  raw: z.string(),
  malformed: z.boolean(),
});
/** A page of log lines and how many the filter lets through (so far, until `complete`). */
export const LogPageSchema = z.object({
  day: z.string(),
  offset: z.number().int(),
  lines: z.array(LogLineSchema),
  total: z.number().int(),
  complete: z.boolean(),
  fileLines: z.number().int(),
});
const sessionKeyInput = z.string().trim().min(1).max(300);

/**
 * The renderer⇄supervisor contract: every request channel, once, with its input and output
 * schema. Electron IPC, the web mode WebSocket and the CLI's control socket are all generated
 * from this table; adding a feature means adding a row here.
 */
export const invokeContract = {
  'status:get': { input: noInput, output: StatusSnapshotSchema },
  'gateway:start': { input: noInput, output: GatewayStatusSchema },
  'gateway:stop': { input: noInput, output: GatewayStatusSchema },
  'gateway:restart': { input: noInput, output: GatewayStatusSchema },
  'killswitch:engage': {
    input: z.strictObject({
      reason: z.string().trim().min(1).max(MAX_KILL_REASON_LENGTH).optional(),
    }),
    output: KillReportSchema,
  },
  'killswitch:rearm': {
    // Re-arming lets the gateway be started again, so the caller must say it means it.
    input: z.strictObject({ confirm: z.literal(true) }),
    output: KillSwitchStateSchema,
  },
  /** Every past kill (newest first, the last 100) with its report: kept after re-arming. */
  'killswitch:history': { input: noInput, output: z.array(KillHistoryEntrySchema) },
  /** Messages, tool calls and blocked attempts per hour over the last 24 hours. */
  'activity:day': { input: noInput, output: z.array(ActivityHourSchema) },
  /** Pending approval requests, 30 days of decided ones, the allowlist and the policy. */
  'approvals:list': { input: noInput, output: ApprovalsOverviewSchema },
  /** The owner's decision on a pending request; the first answer from any surface wins. */
  'approvals:decide': {
    input: z.strictObject({
      id: z.string().trim().min(1).max(20),
      choice: ApprovalChoiceSchema,
      /** With `always`: the pattern the owner edited the command into (else its exact text). */
      entry: z
        .strictObject({ command: z.string().min(1).max(4000), match: AllowMatchSchema })
        .optional(),
    }),
    output: ApprovalRequestSchema,
  },
  /** Adds an entry to `agent.approvals.allowlist` in the config file. */
  'approvallist:add': {
    input: z.strictObject({
      command: z.string().min(1).max(4000),
      match: AllowMatchSchema,
      where: CommandWhereSchema,
    }),
    output: z.array(AllowEntrySchema),
  },
  /** Removes an entry from `agent.approvals.allowlist`. */
  'approvallist:remove': {
    input: z.strictObject({
      command: z.string().min(1).max(4000),
      match: AllowMatchSchema,
      where: CommandWhereSchema,
    }),
    output: z.array(AllowEntrySchema),
  },
  'pairing:list': { input: noInput, output: z.array(PairingRequestSchema) },
  'pairing:approve': {
    input: z.strictObject({
      provider: providerInput,
      code: PairingCodeSchema,
      /** Tell the sender they were approved (the UI's default). */
      notify: z.boolean().default(true),
    }),
    output: PairingApprovalSchema,
  },
  'pairing:reject': {
    input: z.strictObject({ provider: providerInput, code: PairingCodeSchema }),
    output: PairingRequestSchema,
  },
  'allowlist:list': { input: noInput, output: AllowlistOverviewSchema },
  'providers:list': { input: noInput, output: z.array(ProviderStatusSchema) },
  'providers:control': {
    input: z.strictObject({ provider: providerInput, action: ProviderActionSchema }),
    output: z.array(ProviderStatusSchema),
  },
  /** The owner talking to the assistant directly (always the `main` session). */
  'console:send': {
    input: z.strictObject({ text: z.string().trim().min(1).max(MAX_CONSOLE_MESSAGE_LENGTH) }),
    output: ConsoleMessageSchema,
  },
  'console:history': { input: noInput, output: z.array(ConsoleMessageSchema) },
  'allowlist:remove': {
    input: z.strictObject({
      provider: providerInput,
      kind: AllowlistKindSchema,
      id: z.string().trim().min(1).max(200),
    }),
    output: AllowlistOverviewSchema,
  },
  /** Adds a DM sender or group by hand (Settings), with the owner's label for it. */
  'allowlist:add': {
    input: z.strictObject({
      provider: providerInput,
      kind: AllowlistKindSchema,
      id: z.string().trim().min(1).max(200),
      label: z.string().trim().max(MAX_ALLOWLIST_LABEL).optional(),
    }),
    output: AllowlistOverviewSchema,
  },
  /** Sets the owner's label for an entry, approved or from the config file ('' clears it). */
  'allowlist:label': {
    input: z.strictObject({
      provider: providerInput,
      kind: AllowlistKindSchema,
      id: z.string().trim().min(1).max(200),
      label: z.string().max(MAX_ALLOWLIST_LABEL),
    }),
    output: AllowlistOverviewSchema,
  },
  'sessions:list': { input: noInput, output: z.array(SessionSummarySchema) },
  /**
   * A page of one transcript in id order: the `limit` events after `afterId`, or (for
   * scrolling back) the `limit` events before `beforeId`; neither gives the latest page.
   */
  'sessions:events': {
    input: z.strictObject({
      key: sessionKeyInput,
      afterId: z.number().int().min(0).optional(),
      beforeId: z.number().int().min(1).optional(),
      limit: z.number().int().min(1).max(MAX_TRANSCRIPT_PAGE).default(500),
    }),
    output: z.object({ events: z.array(TranscriptEventSchema), total: z.number().int() }),
  },
  /** Full-text search over transcripts, newest first. */
  'sessions:search': {
    input: z.strictObject({
      query: z.string().trim().min(1).max(MAX_TRANSCRIPT_QUERY_LENGTH),
      key: sessionKeyInput.optional(),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    output: z.array(TranscriptEventSchema),
  },
  /**
   * This installation's sandboxes. `detail: false` leaves out what costs the engine a call per
   * container (CPU and memory, the runtime): the dashboard's count and few names need neither,
   * and a hundred `stats` calls would compete with the page for the machine.
   */
  'sandboxes:list': {
    input: z.strictObject({ detail: z.boolean().optional() }),
    output: SandboxListSchema,
  },
  'sandboxes:stop': {
    input: z.strictObject({ name: ContainerNameSchema }),
    output: SandboxListSchema,
  },
  /** One file of a sandbox's workspace, read through the engine (any engine). */
  'sandboxfile:read': {
    input: z.strictObject({ name: ContainerNameSchema, path: WorkspacePathSchema }),
    output: SandboxFileSchema,
  },
  /** Which model is configured and where its key comes from (never the key). */
  'model:status': { input: noInput, output: ModelStatusSchema },
  /** Stores the model key in the OS keychain (desktop app); it is never sent back. */
  'modelkey:save': {
    input: z.strictObject({ key: z.string().trim().min(8).max(MAX_API_KEY_LENGTH) }),
    output: ModelStatusSchema,
  },
  'modelkey:clear': { input: noInput, output: ModelStatusSchema },
  /** `clawdbot security audit`: the findings, worst first. */
  'security:audit': { input: noInput, output: AuditReportSchema },
  /** Applies only the safe fixes (permissions, log redaction, open group policies). */
  'security:fix': {
    input: z.strictObject({ confirm: z.literal(true) }),
    output: AuditFixResultSchema,
  },
  /** The days that have a log file, and today. */
  'logs:files': {
    input: noInput,
    output: z.object({
      today: z.string(),
      days: z.array(z.object({ day: z.string(), bytes: z.number().int() })),
    }),
  },
  /**
   * A page of a day's log lines through the filters. Following is done by polling this every
   * second with the last page (see LogsView): the supervisor only indexes what was appended,
   * so a poll costs a stat and a small read, works the same over every transport, and crosses
   * midnight by itself (no `day`: today), with no watcher per client to set up and tear down.
   */
  'logs:query': {
    input: z.strictObject({ ...logFilterInput, offset: z.number().int().min(0).default(0) }),
    output: LogPageSchema,
  },
  /** The page starting at the first (filtered) line at or after `time`; `target` is its position. */
  'logs:around': {
    input: z.strictObject({
      ...logFilterInput,
      time: z.string().refine((t) => !Number.isNaN(Date.parse(t)), 'not a time'),
    }),
    output: LogPageSchema.extend({ target: z.number().int() }),
  },
  /**
   * The incident response page: the kill (or, armed, now), the sessions active in the hour
   * before it, the log lines around it, and the secrets to rotate (names and places only).
   */
  'incident:get': {
    input: noInput,
    output: IncidentCoreSchema.extend({
      logs: z.object({
        day: z.string(),
        /** Position of the first line at or after the incident's moment. */
        target: z.number().int(),
        lines: z.array(LogLineSchema),
        error: z.string().nullable(),
      }),
    }),
  },
  /** Ticks or unticks a secret on an incident's rotation checklist; replies with the list. */
  'incident:check': { input: IncidentCheckInputSchema, output: z.array(IncidentSecretSchema) },
  /** `agent.securityPrompt` and the built-in rules it extends or replaces. */
  'securityprompt:get': { input: noInput, output: SecurityPromptViewSchema },
  /** Saves `agent.securityPrompt` into the config file (comments kept); the gateway hot-reloads it. */
  'securityprompt:set': { input: SecurityPromptInputSchema, output: SecurityPromptViewSchema },
  /**
   * The web UI's address with its token (`clawdbot web-url`), or null when this supervisor
   * serves none (the desktop app, `supervise` without --web). Asked over the control socket,
   * which only the owner can reach, or by a page that already holds the token.
   */
  'web:url': { input: noInput, output: z.object({ url: z.string().nullable() }) },
  /**
   * `clawdbot doctor`'s checks, as the supervisor's process sees them (with the keychain's model
   * key, which the CLI cannot read). Fixes stay with `clawdbot doctor --fix`: an image build
   * runs for minutes and prints its progress in the terminal.
   */
  'doctor:run': { input: noInput, output: DoctorReportSchema },
  /** The config file as Settings edits it (secret values left out) and the config in force. */
  'config:get': { input: noInput, output: ConfigViewSchema },
  /** Validates proposed changes with the config schema and says what they would change. */
  'config:preview': { input: ConfigChangesInputSchema, output: ConfigPreviewSchema },
  /**
   * Validates and saves changes into the config file (comments kept), then reloads it; an
   * invalid change is refused with each field's problem and nothing is written.
   */
  'config:save': { input: ConfigChangesInputSchema, output: ConfigSaveResultSchema },
  /** Where the first-run setup was left, the owner code in play, who the owners are. */
  'setup:get': { input: noInput, output: SetupStateSchema },
  /** Saves the setup's progress; `finished: true` also when the owner skips it. */
  'setup:progress': {
    input: z.strictObject({
      step: SetupStepSchema,
      done: z.array(SetupStepSchema).max(SETUP_STEPS.length),
      finished: z.boolean(),
    }),
    output: SetupStateSchema,
  },
  /** A new one-time code the owner sends the bot from their own account to become its owner. */
  'ownercode:create': { input: noInput, output: SetupStateSchema },
  /** Checks a bot token with `getMe` and, when Telegram knows it, keeps it in a private file. */
  'telegramtoken:save': {
    input: z.strictObject({ token: TelegramTokenSchema }),
    output: TelegramBotSchema,
  },
  /**
   * Model use per day, sender and session over `today` or the last 30 local days, each against
   * the daily budget that applies (senders with their allowlist label and name).
   */
  'usage:history': {
    input: z.strictObject({ range: UsageRangeSchema }),
    output: UsageHistorySchema,
  },
  /** The sandbox image build the page started, if any: running (with its progress), or how it ended. */
  'imagebuild:get': { input: noInput, output: ImageBuildStateSchema },
  /**
   * Builds the configured sandbox image when the engine lacks it, as `clawdbot doctor --fix`
   * does; progress comes as `imagebuild:changed`. One build at a time: while one runs, this
   * answers with it instead of starting another.
   */
  'imagebuild:start': { input: noInput, output: ImageBuildStateSchema },
  /**
   * The most recently active sessions with each one's latest event (the dashboard's overview;
   * `session:event` keeps it live), newest first.
   */
  'sessions:recent': {
    input: z.strictObject({
      limit: z.number().int().min(1).max(MAX_RECENT_SESSIONS).default(MAX_RECENT_SESSIONS),
    }),
    output: z.array(RecentSessionSchema),
  },
} as const satisfies Record<InvokeChannelName, { input: z.ZodType; output: z.ZodType }>;

/**
 * Events the supervisor pushes to every subscribed renderer. Each carries the full new value,
 * so a client that missed one is correct again after the next.
 */
export const eventContract = {
  'gateway:changed': GatewayStatusSchema,
  'killswitch:changed': KillSwitchStateSchema,
  'pairing:changed': z.array(PairingRequestSchema),
  'allowlist:changed': AllowlistOverviewSchema,
  /** The owner clicked a desktop notification about this request: show the approve dialog. */
  'pairing:focus': z.object({ requestId: z.string() }),
  'providers:changed': z.array(ProviderStatusSchema),
  'console:message': ConsoleMessageSchema,
  /** A session's transcript grew (live: the agent is working). */
  'session:event': TranscriptEventSchema,
  /** The desktop app asks the window to show a view (the tray's "Open logs"). */
  'ui:show': z.object({ view: z.string().max(50) }),
  /** The config file changed: valid, or rejected (and which config is in force). */
  'config:changed': ConfigStatusSchema,
  /** Today's model use changed (a model call, a limited message, midnight). */
  'usage:changed': UsageReportSchema,
  /** A request was made or decided, or the allowlist changed. */
  'approvals:changed': ApprovalsOverviewSchema,
  /** The sandbox engine's health changed (asked in the background, at most every 15 s). */
  'engine:changed': EngineHealthSchema,
  /** The sandbox image build moved on a step or a line, or ended. */
  'imagebuild:changed': ImageBuildStateSchema,
} as const satisfies Record<EventNameString, z.ZodType>;

/** A request channel name. */
export type InvokeChannel = keyof typeof invokeContract;
/** What a caller passes on a channel. */
export type InvokeInput<C extends InvokeChannel> = z.input<(typeof invokeContract)[C]['input']>;
/** What a handler receives on a channel after validation. */
export type InvokeParsedInput<C extends InvokeChannel> = z.output<
  (typeof invokeContract)[C]['input']
>;
/** What a channel replies with. */
export type InvokeOutput<C extends InvokeChannel> = z.output<(typeof invokeContract)[C]['output']>;
/** An event name. */
export type EventName = keyof typeof eventContract;
/** An event's payload. */
export type EventPayload<E extends EventName> = z.output<(typeof eventContract)[E]>;

/** Every request channel, for registration loops. */
export const invokeChannels = Object.keys(invokeContract) as InvokeChannel[];
/** Every event name, for registration loops. */
export const eventNames = Object.keys(eventContract) as EventName[];

export { isEventName, isInvokeChannel } from './channel-names.js';

// The name lists must not name a channel the table lacks (the `satisfies` above checks the rest).
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const contractNamesMatch: [
  Exact<InvokeChannel, InvokeChannelName>,
  Exact<EventName, EventNameString>,
] = [true, true];
