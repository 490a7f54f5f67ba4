import { z } from 'zod';

/** Where a kill switch request came from; recorded so the incident trail says who pulled it. */
export const KillSourceSchema = z.enum(['ui', 'tray', 'cli']);

/** Where a kill switch request came from. */
export type KillSource = z.infer<typeof KillSourceSchema>;

/**
 * How a sandbox container's processes were stopped before it was removed: `frozen` (the engine
 * paused it: every process stopped where it was, never resumed), `killed` (pausing failed, so it
 * was SIGKILLed and the engine saw it stop), `not-running` (pausing failed because nothing ran in
 * it), `gone` (someone else removed it first), `failed` (it could be neither paused nor killed:
 * it may still run).
 */
export const ContainerStopSchema = z.enum(['frozen', 'killed', 'not-running', 'gone', 'failed']);

/** How a sandbox container's processes were stopped. */
export type ContainerStop = z.infer<typeof ContainerStopSchema>;

/** One sandbox container the kill switch tried to kill. */
export const KilledContainerSchema = z.object({
  id: z.string(),
  name: z.string(),
  sessionKey: z.string().nullable(),
  /** How its processes were stopped (reports from before freezing existed: `killed`). */
  stop: ContainerStopSchema.default('killed'),
  /** Why it could not be frozen (what the engine said), when it could not; null if frozen. */
  freezeError: z.string().nullable().default(null),
  /** Null when the container was killed and removed; otherwise what Docker said. */
  error: z.string().nullable(),
});

/** One sandbox container the kill switch tried to kill. */
export type KilledContainer = z.infer<typeof KilledContainerSchema>;

/**
 * Milliseconds after engaging, or null when that moment was not reached (or not confirmed by the
 * engine) during the kill itself.
 */
const MomentSchema = z.number().nonnegative().nullable().default(null);

/** What the kill switch did on one Docker engine: freeze every sandbox, then remove them. */
export const EngineKillSchema = z.object({
  /**
   * Whose sandboxes: this installation's (and legacy ones without an installation label), or
   * every Clawdbot installation's on the engine (`clawdbot kill --all-installations`).
   */
  reach: z.enum(['installation', 'all-installations']).default('installation'),
  /** Which engine (`unix:///…`, `tcp://…`, `ssh://…`); null in reports from before engines. */
  endpoint: z.string().nullable().default(null),
  dockerReachable: z.boolean(),
  /** Why Docker could not be asked, when it could not. */
  error: z.string().nullable(),
  containers: z.array(KilledContainerSchema),
  /** When every sandboxed process on this engine was verified frozen or dead. */
  stoppedMs: MomentSchema,
  /** When this engine listed no sandbox container any more. */
  removedMs: MomentSchema,
});

/** What the kill switch did on one Docker engine. */
export type EngineKill = z.infer<typeof EngineKillSchema>;

/** What engaging the kill switch did, and how long it took. */
export const KillReportSchema = z.object({
  engagedAt: z.number(),
  reason: z.string(),
  source: KillSourceSchema,
  gateway: z.object({
    /** Whether a live gateway process was found (by pid and process identity). */
    found: z.boolean(),
    pid: z.number().int().nullable(),
    /** Every gateway process found (the record, lock files, the environment marker). */
    pids: z.array(z.number().int()).default([]),
    /** Every pid of the gateway's process tree that received SIGKILL. */
    killedPids: z.array(z.number().int()),
    error: z.string().nullable(),
  }),
  /** The engine in force (agent.sandbox.engine, DOCKER_HOST or the local one). */
  sandboxes: EngineKillSchema,
  /**
   * Every other engine this installation made sandboxes on before (its state directory records
   * them), reached in parallel with the one in force, each with its own moments.
   */
  otherEngines: z.array(EngineKillSchema).default([]),
  /** Set when the engaged state could not be saved: everything was still killed. */
  persistError: z.string().nullable().default(null),
  /**
   * When no sandboxed process could do anything more: every one frozen or dead, as the engine
   * confirmed (ms after engaging); null when that was not confirmed (see `sandboxes`).
   */
  stoppedMs: MomentSchema,
  /** When every sandbox container was gone (ms after engaging); null when not confirmed. */
  removedMs: MomentSchema,
  durationMs: z.number().nonnegative(),
});

/** What engaging the kill switch did. */
export type KillReport = z.infer<typeof KillReportSchema>;

/** The containers of an engine that could not be frozen (and were killed, or not), with why. */
export function containersNotFrozen(engine: EngineKill): KilledContainer[] {
  return engine.containers.filter((c) => c.freezeError !== null);
}

/** How a container's processes were stopped, and why it could not be frozen if it could not. */
export function describeStop(c: KilledContainer): string {
  const why = `could not be frozen: ${c.freezeError ?? 'no reason given'}`;
  switch (c.stop) {
    case 'frozen':
      return 'frozen';
    case 'killed':
      return `killed (${why})`;
    case 'not-running':
      return `was not running (${why})`;
    case 'gone':
      return 'already gone';
    case 'failed':
      return `MAY STILL RUN (${why})`;
    default: {
      const never: never = c.stop;
      return never;
    }
  }
}

/**
 * Whether sandbox containers may still be running after the kill: the engine did not answer
 * (so nobody knows what it holds) or a removal failed.
 */
export function sandboxesMayRemain(report: KillReport): boolean {
  return [report.sandboxes, ...report.otherEngines].some(engineMayHoldSandboxes);
}

/** Whether sandbox containers may remain on one engine: it did not answer, or a removal failed. */
export function engineMayHoldSandboxes(engine: EngineKill): boolean {
  return !engine.dockerReachable || engine.containers.some((c) => c.error !== null);
}

/**
 * Where the removal of sandbox containers stands after a kill. `may-remain` until the engine has
 * listed no labelled container; retries (the supervisor's, for as long as the switch is engaged;
 * the CLI's, for a bounded time) move it to `clear`.
 */
export const SandboxSweepSchema = z.object({
  state: z.enum(['clear', 'may-remain']),
  /** When the engine was last asked (answered or not). */
  checkedAt: z.number().nullable(),
  /** Why the last attempt did not confirm that none remain; null once clear. */
  error: z.string().nullable(),
  /** Containers removed by retries after the kill's first attempt. */
  removedLater: z.number().int().nonnegative(),
  /**
   * When the engine last confirmed that every sandboxed process was frozen or dead, even if
   * some containers could not be removed yet; null while nobody knows (an engine that does not
   * answer). Once clear, nothing remains to run.
   */
  stoppedAt: z.number().nullable().default(null),
});

/** Where the removal of sandbox containers stands after a kill. */
export type SandboxSweep = z.infer<typeof SandboxSweepSchema>;

/** The one line that says what may remain, for the CLI, the log and the UI. */
export function describeSweep(sweep: SandboxSweep): string {
  if (sweep.state === 'clear') {
    return `no sandbox container remains${sweep.removedLater > 0 ? ` (${sweep.removedLater} removed after the first attempt)` : ''}`;
  }
  const why = sweep.error ?? 'the Docker engine has not confirmed that none remain';
  return sweep.stoppedAt === null
    ? `sandbox containers may remain: ${why}`
    : `sandbox containers may remain, every process in them frozen or dead: ${why}`;
}

/** The persisted kill switch: while engaged, nothing may start the gateway. */
export const KillSwitchStateSchema = z.object({
  engaged: z.boolean(),
  reason: z.string().nullable(),
  engagedAt: z.number().nullable(),
  source: KillSourceSchema.nullable(),
  /** The report of the most recent engagement, kept after re-arming for the incident trail. */
  lastReport: KillReportSchema.nullable(),
  /** Whether sandboxes may remain since the most recent engagement (null: never engaged). */
  sweep: SandboxSweepSchema.nullable().default(null),
});

/** The persisted kill switch. */
export type KillSwitchState = z.infer<typeof KillSwitchStateSchema>;

/** The longest reason we store; a reason is a note, not a document. */
export const MAX_KILL_REASON_LENGTH = 500;

/** The reason recorded when the owner gives none. */
export const DEFAULT_KILL_REASON = 'kill switch engaged';

/** The one-line refusal shown wherever something tries to start while the switch is engaged. */
export function killSwitchEngagedMessage(state: KillSwitchState): string {
  const when = state.engagedAt ? new Date(state.engagedAt).toISOString() : 'an unknown time';
  return `the kill switch is engaged (since ${when}: ${state.reason ?? 'no reason given'}); run \`clawdbot rearm\` to re-arm it, then start the gateway`;
}

/** One past engagement of the kill switch, as the dashboard's kill history lists it. */
export const KillHistoryEntrySchema = z.object({
  engagedAt: z.number(),
  reason: z.string().nullable(),
  source: KillSourceSchema.nullable(),
  /** What the kill did; null when no report was recorded (the process died mid-kill). */
  report: KillReportSchema.nullable(),
  /** When the switch was re-armed after this kill; null while engaged (or superseded). */
  rearmedAt: z.number().nullable(),
});

/** One past kill. */
export type KillHistoryEntry = z.infer<typeof KillHistoryEntrySchema>;
