import { z } from 'zod';

/**
 * Which engine and OCI runtime a sandboxed command was sent to, as they were at that moment:
 * the engine's address (as `agent.sandbox.engine` or `DOCKER_HOST` names it, never a key) and
 * the runtime asked for (null: the engine's default). Recorded with tool calls and approval
 * requests, so history keeps saying where things ran after the owner switches engine.
 */
export const SandboxEngineRefSchema = z.object({
  endpoint: z.string(),
  runtime: z.string().nullable(),
});
/** Which engine and runtime a sandboxed command was sent to. */
export type SandboxEngineRef = z.infer<typeof SandboxEngineRefSchema>;
