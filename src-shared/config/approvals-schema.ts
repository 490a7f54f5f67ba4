import { z } from 'zod';

/** Where a command runs: on the host (the owner's `main` session, elevated) or in a sandbox. */
export const CommandWhereSchema = z.enum(['host', 'sandbox']);
/** Where a command runs. */
export type CommandWhere = z.infer<typeof CommandWhereSchema>;

/** How an allowlist entry matches a command: the whole text, its start, or a regular expression. */
export const AllowMatchSchema = z.enum(['exact', 'prefix', 'regex']);
/** How an allowlist entry matches. */
export type AllowMatch = z.infer<typeof AllowMatchSchema>;

/** One entry of `agent.approvals.allowlist`: commands that run without asking. */
export const AllowEntrySchema = z
  .strictObject({
    command: z.string().min(1, 'an allowlist entry needs a command'),
    match: AllowMatchSchema.default('exact'),
    where: CommandWhereSchema.default('host'),
    /** Who added it: `default`, `cli`, `desktop`, `web`, `telegram`, `whatsapp` or `config`. */
    addedBy: z.string().min(1).default('config'),
    /** When it was added (ms since the epoch); 0 for the seeded defaults. */
    addedAt: z.number().int().min(0).default(0),
  })
  .superRefine((entry, ctx) => {
    if (entry.match !== 'regex') return;
    try {
      new RegExp(entry.command, 'u');
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        path: ['command'],
        message: `agent.approvals.allowlist: /${entry.command}/ is not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  });
/** An allowlist entry, defaults applied. */
export type AllowEntry = z.infer<typeof AllowEntrySchema>;

/**
 * The read-only commands approved out of the box (exact text only, on the host): the owner
 * edits the list like any other.
 */
export const DEFAULT_APPROVALS_ALLOWLIST: readonly AllowEntry[] = [
  'ls',
  'ls -la',
  'pwd',
  'date',
  'whoami',
  'uptime',
  'git status',
  'git log --oneline -n 10',
  'git diff',
].map((command) => ({
  command,
  match: 'exact' as const,
  where: 'host' as const,
  addedBy: 'default',
  addedAt: 0,
}));

/**
 * `agent.approvals`: host commands wait for the owner's decision. `host: ask` (default) asks
 * for everything not on the allowlist, `allowlist` denies it without asking, `off` asks for
 * nothing. Elevated turns of anyone but the owner always ask (`elevated: always`).
 */
export const ApprovalsConfigSchema = z.strictObject({
  host: z
    .enum(['ask', 'allowlist', 'off'], {
      error: 'agent.approvals.host must be "ask", "allowlist" or "off"',
    })
    .default('ask'),
  sandbox: z
    .enum(['off', 'ask'], { error: 'agent.approvals.sandbox must be "off" or "ask"' })
    .default('off'),
  /** How long a request waits for a decision before it is denied. */
  timeoutSec: z
    .number({ error: 'agent.approvals.timeoutSec must be a number of seconds' })
    .int('agent.approvals.timeoutSec must be a whole number of seconds')
    .min(5, 'agent.approvals.timeoutSec must be at least 5 seconds')
    .max(3600, 'agent.approvals.timeoutSec must be at most 3600 (an hour)')
    .default(120),
  allowlist: z
    .array(AllowEntrySchema)
    .default(() => DEFAULT_APPROVALS_ALLOWLIST.map((e) => ({ ...e }))),
  /**
   * Elevated turns of someone other than the owner: `always` asks whatever the allowlist says.
   * It can only be made stricter, so `always` is its one value.
   */
  elevated: z
    .enum(['always'], {
      error: 'agent.approvals.elevated can only be "always" (it can only be made stricter)',
    })
    .default('always'),
});
/** `agent.approvals`, defaults applied. */
export type ApprovalsConfig = z.infer<typeof ApprovalsConfigSchema>;
