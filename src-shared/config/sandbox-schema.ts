import { z } from 'zod';
import { MAIN_SESSION_KEY } from '../domain/session-key.js';
import { EngineConfigSchema } from './engine-schema.js';

/**
 * The sandbox settings, `agent.sandbox` in the config file. Every default is the hardened
 * choice: an override loosens the sandbox and is for the security audit to flag.
 */

/** The image every sandbox runs unless `agent.sandbox.docker.image` says otherwise. */
export const DEFAULT_SANDBOX_IMAGE = 'clawdbot-sandbox:bookworm';

/** Which sessions get a sandbox: none, every session but the owner's `main`, or all. */
export const SandboxModeSchema = z.enum(['off', 'non-main', 'all']);
/** Which sessions get a sandbox. */
export type SandboxMode = z.infer<typeof SandboxModeSchema>;

/** Whether each session gets its own container (`session`) or all share one (`shared`). */
export const SandboxScopeSchema = z.enum(['session', 'shared']);
/** How sandboxed sessions map to containers. */
export type SandboxScope = z.infer<typeof SandboxScopeSchema>;

const absolutePath = z
  .string()
  .regex(/^\/[^\0]*$/, 'must be an absolute path inside the container')
  .refine((p) => !p.split('/').includes('..'), 'must not contain ".."');

/**
 * `auto`, or a numeric `uid` / `uid:gid`. Numeric so the engine never looks a name up in an
 * image's /etc/passwd (a name can resolve to root in a tampered image), and so the host knows
 * which uid to hand the workspace to.
 */
const userSpec = z
  .string()
  .trim()
  .regex(/^(auto|\d+(:\d+)?)$/, 'must be "auto", a uid or "uid:gid" (numbers)');

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a shell variable name');

/** The sandbox's default per-process limits (`agent.sandbox.docker.ulimits`). */
export const DEFAULT_SANDBOX_ULIMITS = { nofile: 1024, nproc: 4096 } as const;

/** `agent.sandbox.docker`: how each sandbox container is created. */
export const SandboxDockerConfigSchema = z.strictObject({
  /** The image; build it with `clawdbot sandbox image build [--offline]`. */
  image: z.string().trim().min(1).default(DEFAULT_SANDBOX_IMAGE),
  /** Mount the container's root filesystem read-only; only `/workspace` and tmpfs are writable. */
  readOnlyRoot: z.boolean().default(true),
  /** Writable, memory-backed, emptied on every (re)start. */
  tmpfs: z.array(absolutePath).default(['/tmp', '/var/tmp', '/run']),
  /** Docker network mode; `none` leaves only a loopback interface. */
  network: z.string().trim().min(1).default('none'),
  /** Linux capabilities to drop; `ALL` leaves none, even to a root process. */
  capDrop: z.array(z.string().trim().min(1)).default(['ALL']),
  /** Forbid gaining privileges through setuid binaries or file capabilities. */
  noNewPrivileges: z.boolean().default(true),
  /**
   * The container's user. `auto`: the uid/gid running Clawdbot, so the host user owns (and can
   * read) what the sandbox writes; when Clawdbot runs as root, the image's `sandbox` user
   * (1000:1000) instead, never root.
   */
  user: userSpec.default('auto'),
  /** At most this many processes and threads: a fork bomb stops here. */
  pidsLimit: z.number().int().min(16).default(256),
  /** Memory limit (swap included) in MiB. */
  memoryMiB: z.number().int().min(32).default(512),
  /** CPU limit in cores. */
  cpus: z.number().positive().max(1024).default(1),
  /**
   * Per-process resource limits (soft = hard), set explicitly so the same sandbox runs on every
   * engine: Podman's defaults exceed the hard limits of some hosts, and then no container starts.
   * `nofile`: open files per process; `nproc`: processes of the sandbox's uid (the kernel counts
   * them across the host; `pidsLimit` is the sandbox's own cap). Each at most the engine host's
   * hard limit.
   */
  ulimits: z
    .strictObject({
      nofile: z
        .number()
        .int()
        .min(64)
        .max(1 << 20)
        .default(DEFAULT_SANDBOX_ULIMITS.nofile),
      nproc: z
        .number()
        .int()
        .min(16)
        .max(1 << 22)
        .default(DEFAULT_SANDBOX_ULIMITS.nproc),
    })
    .default(DEFAULT_SANDBOX_ULIMITS),
  /**
   * The complete environment beyond LANG, HOME and PATH: nothing is inherited from the host,
   * so an API key in Clawdbot's own environment never reaches a sandbox.
   */
  env: z.record(envName, z.string()).default({}),
  /** A shell command run once (as the sandbox user) right after a container is created. */
  setupCommand: z.string().trim().min(1).optional(),
  /**
   * The OCI runtime sandboxes run under, by the name the engine lists it (`docker info`), e.g.
   * `runsc` for gVisor: a user-space kernel between the sandbox and the host's. Unset: the
   * engine's default (usually `runc`). A runtime the engine does not list makes sandboxed tools
   * fail closed, never fall back to another runtime.
   */
  runtime: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_.-]*$/,
      'must be a runtime name the Docker engine lists (letters, digits, ".", "_", "-"), e.g. "runsc"',
    )
    .optional(),
});
/** `agent.sandbox.docker`, defaults applied. */
export type SandboxDockerConfig = z.infer<typeof SandboxDockerConfigSchema>;

/** `agent.sandbox.prune`: when idle or old containers are removed. */
export const SandboxPruneConfigSchema = z.strictObject({
  /** Remove a container unused for this many hours. */
  idleHours: z.number().positive().default(24),
  /** Remove a container this many days after it was created, however busy. */
  maxAgeDays: z.number().positive().default(7),
});
/** `agent.sandbox.prune`, defaults applied. */
export type SandboxPruneConfig = z.infer<typeof SandboxPruneConfigSchema>;

/** The smallest workspace: ext4 needs room for its journal and tables beside the files. */
export const MIN_WORKSPACE_MIB = 32;
/** The largest workspace (1 TiB): a typo of a few zeros should not hand out the host disk. */
export const MAX_WORKSPACE_MIB = 1024 * 1024;

/** `agent.sandbox.workspace`: each session's /workspace. */
export const SandboxWorkspaceConfigSchema = z.strictObject({
  /**
   * The size of each workspace in MiB: the most it can ever take on the host disk. The kernel
   * enforces it (the workspace is a filesystem of this size), so a sandbox that fills it gets
   * "No space left on device". Raising it grows existing workspaces on their next start;
   * lowering it applies to new workspaces only.
   */
  maxMiB: z
    .number()
    .int('must be a whole number of MiB')
    .min(MIN_WORKSPACE_MIB, `must be at least ${MIN_WORKSPACE_MIB} (MiB)`)
    .max(MAX_WORKSPACE_MIB, `must be at most ${MAX_WORKSPACE_MIB} (MiB, 1 TiB)`)
    .default(512),
  /**
   * Where each workspace's filesystem image lives. `host-dir`: under the state directory
   * (`sandboxes/<id>/`), which the engine must see at the same path. `volume`: in a named volume
   * of the engine (`clawdbot-ws-<id>`), for a gateway whose paths the engine cannot see (in a
   * container, or on another machine than the engine). `auto`: `volume` when the gateway runs
   * in a container or the engine is remote (`tcp://`, `ssh://`), else `host-dir`.
   */
  backing: z.enum(['auto', 'host-dir', 'volume']).default('auto'),
});
/** `agent.sandbox.workspace`, defaults applied. */
export type SandboxWorkspaceConfig = z.infer<typeof SandboxWorkspaceConfigSchema>;

/** `agent.sandbox`. */
export const SandboxConfigSchema = z.strictObject({
  mode: SandboxModeSchema.default('non-main'),
  scope: SandboxScopeSchema.default('session'),
  /** Which Docker engine sandboxes run on (engine-schema.ts); unset: DOCKER_HOST or local. */
  engine: EngineConfigSchema.optional(),
  docker: SandboxDockerConfigSchema.prefault({}),
  workspace: SandboxWorkspaceConfigSchema.prefault({}),
  prune: SandboxPruneConfigSchema.prefault({}),
});
/** `agent.sandbox`, defaults applied. */
export type SandboxConfig = z.infer<typeof SandboxConfigSchema>;
/** `agent.sandbox` as written in the config file (every key optional). */
export type SandboxConfigInput = z.input<typeof SandboxConfigSchema>;

/** Whether a session's tools must run in a sandbox under this config. */
export function isSandboxedSession(
  sessionKey: string,
  config: Pick<SandboxConfig, 'mode'>,
): boolean {
  switch (config.mode) {
    case 'off':
      return false;
    case 'all':
      return true;
    case 'non-main':
      return sessionKey !== MAIN_SESSION_KEY;
  }
}

/** The key that picks a session's container: the session key, or `shared` for one for all. */
export function sandboxScopeKey(sessionKey: string, config: Pick<SandboxConfig, 'scope'>): string {
  return config.scope === 'shared' ? 'shared' : sessionKey;
}
