import { z } from 'zod';

/** CPU and memory of a running sandbox, from one stats sample. */
export const SandboxUsageSchema = z.object({
  /** Percent of one core (100 = one core fully busy). */
  cpuPercent: z.number(),
  memoryBytes: z.number(),
  memoryLimitBytes: z.number(),
  pids: z.number().int(),
});

/** One sandbox container, as the Sandboxes view and `clawdbot sandbox list` show it. */
export const SandboxSummarySchema = z.object({
  name: z.string(),
  id: z.string(),
  sessionKey: z.string().nullable(),
  image: z.string(),
  /** Docker's state: running, exited, paused, … */
  state: z.string(),
  createdAtMs: z.number(),
  lastUsedAtMs: z.number(),
  ageMs: z.number(),
  idleMs: z.number(),
  usage: SandboxUsageSchema.nullable(),
  /** The OCI runtime it runs under (`runc`, `runsc`), as the engine reports it; null if unknown. */
  runtime: z.string().nullable().optional(),
});
/** One sandbox container. */
export type SandboxSummary = z.infer<typeof SandboxSummarySchema>;

/** The Sandboxes view's data: the containers, or why the engine could not be asked. */
export const SandboxListSchema = z.object({
  sandboxes: z.array(SandboxSummarySchema),
  /** Null when Docker answered; otherwise what went wrong (sandboxed tools fail closed). */
  dockerError: z.string().nullable(),
});
/** The Sandboxes view's data. */
export type SandboxList = z.infer<typeof SandboxListSchema>;

/** A Docker container name, as accepted from a caller. */
export const ContainerNameSchema = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, 'not a container name');

/** The largest workspace file the UI shows (bigger ones: export them with the CLI or a tool). */
export const MAX_UI_FILE_BYTES = 1024 * 1024;

/** A workspace path as the UI asks for it: relative to /workspace, or absolute under it. */
export const WorkspacePathSchema = z
  .string()
  .trim()
  .min(1, 'a path in the workspace')
  .max(4096, 'at most 4096 characters')
  .refine((path) => !path.includes('\0'), 'no NUL characters');

/** One workspace file as the Sandboxes view shows it. */
export const SandboxFileSchema = z.object({
  name: z.string(),
  path: z.string(),
  bytes: z.number().int().nonnegative(),
  /** The text, or null when the file is not UTF-8 text (it is then not shown). */
  text: z.string().nullable(),
});
/** One workspace file as the Sandboxes view shows it. */
export type SandboxFile = z.infer<typeof SandboxFileSchema>;
