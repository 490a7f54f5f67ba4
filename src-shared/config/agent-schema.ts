import { z } from 'zod';
import { MESSAGING_PROVIDERS, type MessagingProvider } from '../domain/providers.js';
import { SandboxConfigSchema } from './sandbox-schema.js';
import { ApprovalsConfigSchema } from './approvals-schema.js';

/** The tools the agent can be given. Argument names are part of the contract with the model. */
export const TOOL_NAMES = ['bash', 'read', 'write', 'edit'] as const;
/** A tool name. */
export type ToolName = (typeof TOOL_NAMES)[number];
/** A tool name, validated. */
export const ToolNameSchema = z.enum(TOOL_NAMES);

/** Which API a model speaks. */
export const ModelProviderSchema = z.enum(['anthropic', 'openai']);
/** Which API a model speaks. */
export type ModelProvider = z.infer<typeof ModelProviderSchema>;

/** The environment variable each API's key comes from unless `apiKeyEnv` names another. */
export const DEFAULT_API_KEY_ENV: Record<ModelProvider, string> = {
  anthropic: 'ANTHROPIC_API_KEY',
  openai: 'OPENAI_API_KEY',
};

const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');

/**
 * `agent.model`. Keys are never written here: they come from the environment (or, in the
 * desktop app, from the OS keychain through `safeStorage`), so a shared config leaks nothing.
 */
export const ModelConfigSchema = z.strictObject({
  provider: ModelProviderSchema,
  /** The model id, e.g. `claude-sonnet-4-5` or `llama3.1:8b`. */
  name: z.string().trim().min(1),
  /** An OpenAI-compatible server (Ollama, LM Studio, llama.cpp, vLLM, OpenRouter) or a proxy. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'baseUrl must be an http(s) URL' }).optional(),
  /** The environment variable holding the key (default ANTHROPIC_API_KEY / OPENAI_API_KEY). */
  apiKeyEnv: envName.optional(),
  /** Longest answer, in tokens, per model call. */
  maxTokens: z.number().int().min(16).max(200_000).default(4096),
  /** How long one model call may take before the sender is told it timed out. */
  timeoutSec: z.number().positive().max(3600).default(120),
});
/** `agent.model`, defaults applied. */
export type ModelConfig = z.infer<typeof ModelConfigSchema>;

const elevatedAllowShape = Object.fromEntries(
  MESSAGING_PROVIDERS.map((p) => [p, z.array(z.string().trim().min(1)).default([])]),
) as Record<MessagingProvider, z.ZodDefault<z.ZodArray<z.ZodString>>>;

/**
 * `agent.elevated`: the only way a tool runs on the host from a sandboxed session. Off by
 * default; the owner may always use it once enabled, others only when listed; never in group
 * chats unless `groups` says so.
 */
export const ElevatedConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Sender ids per provider allowed to switch elevated on (`"*"`: anyone who reaches the bot). */
  allowFrom: z.strictObject(elevatedAllowShape).prefault({}),
  /**
   * Allow elevated in group chats (the audit rates it high). A group's model context holds
   * everyone's messages, so even then an elevated turn is shown only the messages of the owner
   * and the senders in `allowFrom`, and the assistant's own.
   */
  groups: z.boolean().default(false),
});
/** `agent.elevated`, defaults applied. */
export type ElevatedConfig = z.infer<typeof ElevatedConfigSchema>;

/** `agent.tools`: which tools the model is offered. `deny` wins over `allow`. */
export const ToolsConfigSchema = z.strictObject({
  /** Offer only these (default: all). */
  allow: z.array(ToolNameSchema).optional(),
  /** Never offer these. */
  deny: z.array(ToolNameSchema).default([]),
  /** Longest one tool call may run, in seconds (a `bash` call may ask for less). */
  timeoutSec: z.number().int().min(1).max(3600).default(120),
  /** Tool output longer than this (bytes of UTF-8) keeps its head and tail with a marker between. */
  maxOutputBytes: z.number().int().min(256).max(1_048_576).default(16_384),
});
/** `agent.tools`, defaults applied. */
export type ToolsConfig = z.infer<typeof ToolsConfigSchema>;

/** `agent.securityPrompt`: extend (default) or replace the built-in security rules. */
export const SecurityPromptConfigSchema = z.strictObject({
  mode: z.enum(['extend', 'replace']).default('extend'),
  text: z.string().default(''),
});
/** `agent.securityPrompt`, defaults applied. */
export type SecurityPromptConfig = z.infer<typeof SecurityPromptConfigSchema>;

/** `agent`: the model, its tools, and where they run. */
export const AgentConfigSchema = z.strictObject({
  /** No model: allowed senders get a short "not configured" reply. */
  model: ModelConfigSchema.optional(),
  /** Extra instructions appended to the built-in system prompt. */
  instructions: z.string().default(''),
  /** Most tool calls the model may make while answering one message. */
  maxToolSteps: z.number().int().min(0).max(100).default(8),
  tools: ToolsConfigSchema.prefault({}),
  /** No shell, no writes outside a sandbox, no messages but the reply. */
  readOnlyMode: z.boolean().default(false),
  securityPrompt: SecurityPromptConfigSchema.prefault({}),
  sandbox: SandboxConfigSchema.prefault({}),
  elevated: ElevatedConfigSchema.prefault({}),
  /** Host commands wait for the owner's decision (see the README's "Exec approvals"). */
  approvals: ApprovalsConfigSchema.prefault({}),
});
/** `agent`, defaults applied. */
export type AgentConfig = z.infer<typeof AgentConfigSchema>;

/** `session`: when a conversation starts afresh, and what is caught up after downtime. */
export const SessionConfigSchema = z.strictObject({
  /** A session quiet for this long starts a new conversation on its next message. */
  idleMinutes: z.number().positive().max(525_600).default(60),
  /**
   * Messages that waited while the gateway was down (kept by Telegram, delivered offline by
   * WhatsApp, or recorded just before a crash) are answered when it returns if they were sent at
   * most this long before; older ones are recorded in the transcript as missed. 0: none.
   */
  catchUpMinutes: z
    .number({ error: 'session.catchUpMinutes must be a number of minutes' })
    .min(0, 'session.catchUpMinutes must be 0 or more minutes')
    .max(10_080, 'session.catchUpMinutes must be at most 10080 (a week)')
    .default(10),
});
/** `session`, defaults applied. */
export type SessionConfig = z.infer<typeof SessionConfigSchema>;

/**
 * The tools a session is offered after allow, deny and read-only mode. Read-only mode keeps
 * `read` everywhere and file writes only inside a sandbox; the shell goes entirely.
 */
export function offeredTools(
  agent: Pick<AgentConfig, 'tools' | 'readOnlyMode'>,
  session: { sandboxed: boolean },
): ToolName[] {
  const allow = agent.tools.allow ?? TOOL_NAMES;
  return TOOL_NAMES.filter((tool) => {
    if (!allow.includes(tool) || agent.tools.deny.includes(tool)) return false;
    if (!agent.readOnlyMode || tool === 'read') return true;
    return tool !== 'bash' && session.sandboxed;
  });
}
