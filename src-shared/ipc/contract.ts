import { z } from 'zod';
import type { EventNameString, InvokeChannelName } from './channel-names.js';
import {
  AllowlistKindSchema,
  PairingApprovalSchema,
  PairingCodeSchema,
  PairingRequestSchema,
} from '../domain/access.js';
import { AllowlistOverviewSchema } from '../domain/allowlist-overview.js';
import { GatewayStatusSchema } from '../domain/gateway.js';
import { MessagingProviderSchema } from '../domain/providers.js';
import {
  ConsoleMessageSchema,
  MAX_CONSOLE_MESSAGE_LENGTH,
  ProviderActionSchema,
  ProviderStatusSchema,
} from '../domain/provider-status.js';
import { ContainerNameSchema, SandboxListSchema } from '../domain/sandbox.js';
import {
  MAX_TRANSCRIPT_PAGE,
  MAX_TRANSCRIPT_QUERY_LENGTH,
  SessionSummarySchema,
  TranscriptEventSchema,
} from '../domain/transcript.js';
import {
  KillReportSchema,
  KillSwitchStateSchema,
  MAX_KILL_REASON_LENGTH,
} from '../domain/kill-switch.js';

const providerInput = MessagingProviderSchema;

/** Everything the dashboard needs in one read. */
export const StatusSnapshotSchema = z.object({
  gateway: GatewayStatusSchema,
  killSwitch: KillSwitchStateSchema,
});

/** Everything the dashboard needs in one read. */
export type StatusSnapshot = z.infer<typeof StatusSnapshotSchema>;

const noInput = z.strictObject({});
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
  'sandboxes:list': { input: noInput, output: SandboxListSchema },
  'sandboxes:stop': {
    input: z.strictObject({ name: ContainerNameSchema }),
    output: SandboxListSchema,
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
