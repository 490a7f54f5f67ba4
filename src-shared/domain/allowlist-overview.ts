import { z } from 'zod';
import { DmPolicySchema, GroupPolicySchema } from '../config/schema.js';
import { AllowlistEntrySchema } from './access.js';
import { MessagingProviderSchema } from './providers.js';

/** One provider's access at a glance: its policies and every allowlist entry with its source. */
export const ProviderAllowlistSchema = z.object({
  provider: MessagingProviderSchema,
  dmPolicy: DmPolicySchema,
  groupPolicy: GroupPolicySchema,
  /** Who may trigger the bot inside groups (config only). */
  groupAllowFrom: z.array(z.string()),
  entries: z.array(AllowlistEntrySchema),
});

/** One provider's access at a glance. */
export type ProviderAllowlist = z.infer<typeof ProviderAllowlistSchema>;

/** Every provider's access, plus where the config lives and whether its last edit was rejected. */
export const AllowlistOverviewSchema = z.object({
  configPath: z.string(),
  /** Errors of the config file's current content; the last good config stays in force. */
  configErrors: z.array(z.string()).nullable(),
  providers: z.array(ProviderAllowlistSchema),
});

/** Every provider's access. */
export type AllowlistOverview = z.infer<typeof AllowlistOverviewSchema>;
