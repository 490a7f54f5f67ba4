import type { ContainerExecOutcome } from './container-exec.js';
import { SANDBOX_WORKDIR } from './image-recipe.js';

/** How ENOSPC reads in the C library's, busybox's and Python's messages. */
const ENOSPC_TEXT = /No space left on device|ENOSPC/;

/** Below this much free space (or with no inode left) a workspace counts as full. */
export const FULL_BELOW_BYTES = 1024 * 1024;

/** What `statfs` says about a workspace. */
export interface WorkspaceUsage {
  totalBytes: number;
  /** Free bytes the (non-root) sandbox user may still use. */
  availableBytes: number;
  freeInodes: number;
}

/** The probe's command: `statfs` of /workspace (coreutils and busybox both have it). */
export const USAGE_PROBE_ARGV: readonly string[] = [
  'stat',
  '-f',
  '-c',
  '%S %b %a %d',
  SANDBOX_WORKDIR,
];

/** Parses the probe's output (`<block size> <blocks> <available blocks> <free inodes>`). */
export function parseUsage(text: string): WorkspaceUsage | null {
  const fields = text.trim().split(/\s+/).map(Number);
  if (fields.length !== 4 || fields.some((n) => !Number.isSafeInteger(n) || n < 0)) return null;
  const [blockSize, blocks, available, freeInodes] = fields as [number, number, number, number];
  return {
    totalBytes: blockSize * blocks,
    availableBytes: blockSize * available,
    freeInodes,
  };
}

/** Whether a workspace with this usage can take no more (no room, or no inode left). */
export function isFull(usage: WorkspaceUsage): boolean {
  return usage.availableBytes < FULL_BELOW_BYTES || usage.freeInodes === 0;
}

/** The line a tool result carries when its command failed because the workspace is full. */
export function workspaceFullMessage(maxMiB: number): string {
  return (
    `workspace full: ${SANDBOX_WORKDIR} has reached its size limit of ${maxMiB} MiB ` +
    '(agent.sandbox.workspace.maxMiB); nothing more can be written there until files are deleted'
  );
}

/** A workspace just found full, for the owner's notice. */
export interface WorkspaceFullEvent {
  scopeKey: string;
  container: string;
  maxMiB: number;
  usage: WorkspaceUsage;
}

/** What {@link WorkspaceFullWatch} works with. */
export interface WorkspaceFullWatchDeps {
  /** Runs the usage probe in the container; null when it could not tell. */
  probe: (containerId: string) => Promise<WorkspaceUsage | null>;
  maxMiB: number;
  /** Called once when a workspace becomes full, not again until it has had room again. */
  onFull?: (event: WorkspaceFullEvent) => void;
}

/**
 * Tells which failed commands failed because their workspace is full. A command's own output
 * only suggests it (the text can be printed by anyone, and ENOSPC also comes from the small
 * tmpfs /tmp), so a failure that mentions ENOSPC is checked against `statfs` of /workspace.
 * A workspace found full is remembered, and the owner told once; while it is full, each call
 * checks again, so that once files are deleted the next fill is reported anew.
 */
export class WorkspaceFullWatch {
  private readonly full = new Set<string>();

  constructor(private readonly deps: WorkspaceFullWatchDeps) {}

  /** Whether this command failed while its workspace is full (and updates what is known). */
  async check(
    scopeKey: string,
    container: { id: string; name: string },
    outcome: ContainerExecOutcome,
  ): Promise<boolean> {
    const failed = outcome.exitCode !== 0;
    const suggests =
      failed &&
      (ENOSPC_TEXT.test(outcome.stderr.text()) || ENOSPC_TEXT.test(outcome.stdout.text()));
    if (!suggests && !this.full.has(scopeKey)) return false;
    // A probe that fails says nothing about fullness: the command's own result stands.
    const usage = await this.deps.probe(container.id).catch(() => null);
    if (usage === null) return false;
    if (!isFull(usage)) {
      this.full.delete(scopeKey);
      return false;
    }
    if (!this.full.has(scopeKey)) {
      this.full.add(scopeKey);
      this.deps.onFull?.({
        scopeKey,
        container: container.name,
        maxMiB: this.deps.maxMiB,
        usage,
      });
    }
    return failed;
  }
}
