import type { ConsoleMessage } from '../../src-shared/domain/provider-status.js';

/** How many console lines a window keeps; the supervisor keeps fewer, so history always fits. */
export const CONSOLE_MESSAGES_KEPT = 500;

/**
 * Merges console lines into the list by id, in time order. The same line arrives more than once
 * by design — the owner's own line is both `console:send`'s reply and a `console:message` event,
 * and history re-read after a reconnect repeats what was already shown — so ids, not arrival,
 * decide what is new.
 */
export function mergeConsoleMessages(
  existing: readonly ConsoleMessage[],
  incoming: readonly ConsoleMessage[],
): readonly ConsoleMessage[] {
  const byId = new Map<string, ConsoleMessage>();
  for (const message of existing) byId.set(message.id, message);
  let changed = false;
  for (const message of incoming) {
    if (byId.has(message.id)) continue;
    byId.set(message.id, message);
    changed = true;
  }
  // Nothing new: the same array, so subscribers do not re-render.
  if (!changed) return existing;
  // Array.prototype.sort is stable: lines with the same millisecond keep their arrival order.
  const merged = [...byId.values()].sort((a, b) => a.at - b.at);
  return merged.slice(-CONSOLE_MESSAGES_KEPT);
}
