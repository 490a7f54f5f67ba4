import type { SandboxPruneConfig } from '../../src-shared/config/sandbox-schema.js';

/** Prune checks run at most this often, however many tool calls arrive. */
export const PRUNE_INTERVAL_MS = 5 * 60_000;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Why a container is pruned, or null to keep it. */
export type PruneVerdict = 'idle' | 'too-old' | null;

/**
 * The pruning rule: a container goes when unused for `idleHours`, or `maxAgeDays` after its
 * creation however busy (a long-lived sandbox accumulates whatever an attacker left in it).
 * A container with a command running right now is not idle.
 */
export function pruneVerdict(
  container: { createdAtMs: number; lastUsedAtMs: number; busy: boolean },
  nowMs: number,
  config: SandboxPruneConfig,
): PruneVerdict {
  if (nowMs - container.createdAtMs > config.maxAgeDays * DAY_MS) return 'too-old';
  if (!container.busy && nowMs - container.lastUsedAtMs > config.idleHours * HOUR_MS) return 'idle';
  return null;
}
