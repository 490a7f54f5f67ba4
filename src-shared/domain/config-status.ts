import { z } from 'zod';

/**
 * Which config a process runs on. `valid`: the file as it is. `last-good`: the file is rejected
 * and the last config that passed validation (kept in the database) is in force. `rejected`: the
 * file is rejected and no good config was ever seen, so the safe defaults are in force (and no
 * provider connects).
 */
export const ConfigHealthSchema = z.enum(['valid', 'last-good', 'rejected']);

/** Which config a process runs on. */
export type ConfigHealth = z.infer<typeof ConfigHealthSchema>;

/** The config file's health, as `clawdbot status --json` and the UI show it. */
export const ConfigStatusSchema = z.object({
  path: z.string(),
  state: ConfigHealthSchema,
  /** Why the file is rejected (empty when valid). */
  errors: z.array(z.string()),
  /** When the config in force was first seen valid (null on defaults or before it was saved). */
  lastGoodAt: z.number().nullable(),
});

/** The config file's health. */
export type ConfigStatus = z.infer<typeof ConfigStatusSchema>;

/** One line saying which config is in force, for the CLI and the log. */
export function describeConfigStatus(status: ConfigStatus): string {
  switch (status.state) {
    case 'valid':
      return `valid (${status.path})`;
    case 'last-good':
      return `REJECTED — running on the last good config from ${status.lastGoodAt === null ? 'an unknown time' : new Date(status.lastGoodAt).toISOString()}: ${status.errors[0] ?? ''}`;
    case 'rejected':
      return `REJECTED — running on safe defaults (no valid config seen yet), no provider started: ${status.errors[0] ?? ''}`;
    default: {
      const unreachable: never = status.state;
      throw new Error(`unknown config state ${String(unreachable)}`);
    }
  }
}
