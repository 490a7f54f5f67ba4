import { z } from 'zod';

/** The runtime sandboxes use on an engine, and whether the engine has it. */
export const RuntimeStatusSchema = z.object({
  /** `agent.sandbox.docker.runtime`, or null when unset (the engine's default applies). */
  configured: z.string().nullable(),
  /** The runtime sandboxes run under: the configured one, else the engine's default. */
  inUse: z.string().nullable(),
  /** Whether the engine lists the runtime in use. */
  available: z.boolean(),
  /** Every runtime the engine lists, by name. */
  runtimes: z.array(z.string()),
  /** The engine's default runtime (null when it does not say). */
  engineDefault: z.string().nullable(),
});

/** Where the sandbox engine is and how it is reached; never a secret (no key, no certificate). */
export const EngineAddressSchema = z.object({
  /** `unix:///var/run/docker.sock`, `tcp://host:2376`, `ssh://user@host:22`. */
  endpoint: z.string(),
  /** What named it: `agent.sandbox.engine`, a Docker context, `DOCKER_HOST`, or the default. */
  source: z.enum(['config', 'context', 'environment', 'default']),
  /** The Docker context's name, when one named it. */
  context: z.string().nullable(),
  /**
   * TLS: `verified` (the engine's certificate checked), `unverified` (encrypted, not checked),
   * `none` (plain TCP), `not-applicable` (a local socket, or SSH, which has its own).
   */
  tls: z.enum(['verified', 'unverified', 'none', 'not-applicable']),
  /** On another machine (tcp or ssh): workspaces are engine-side volumes. */
  remote: z.boolean(),
});
/** Where the sandbox engine is and how it is reached. */
export type EngineAddress = z.infer<typeof EngineAddressSchema>;

/** The sandbox image on the engine: present, and how old. */
export const EngineImageSchema = z.object({
  name: z.string(),
  present: z.boolean(),
  /** When it was built (ms since the epoch), when present. */
  createdAt: z.number().nullable(),
  /** Its age in whole days, when present. */
  ageDays: z.number().int().nonnegative().nullable(),
});

/**
 * The sandbox engine's health as `clawdbot status --json` and the dashboard report it. An
 * unreachable engine (or one whose setting cannot be resolved) says why; sandboxed tools are
 * then refused, exactly as for the local engine.
 */
export const EngineHealthSchema = z.discriminatedUnion('reachable', [
  z.object({
    reachable: z.literal(true),
    address: EngineAddressSchema,
    /** The engine's version (`ServerVersion`). */
    version: z.string().nullable(),
    /** Docker's engine, or Podman's Docker-compatible service. */
    kind: z.enum(['docker', 'podman']),
    runtime: RuntimeStatusSchema,
    image: EngineImageSchema,
    /** How many sandbox containers this installation has there (running or not). */
    sandboxes: z.number().int().nonnegative(),
  }),
  z.object({
    reachable: z.literal(false),
    /** Null when the engine setting could not be resolved (a missing certificate file…). */
    address: EngineAddressSchema.nullable(),
    /** Why the engine could not be asked. */
    error: z.string(),
    /** What is configured; whether the engine has it is unknown. */
    runtime: z.object({ configured: z.string().nullable() }),
  }),
]);
/** The sandbox engine's health. */
export type EngineHealth = z.infer<typeof EngineHealthSchema>;
