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

/**
 * A record's fields for the engine a command went to (`engine`: its address, `runtime`), as tool
 * calls, approval requests and their log lines store them; none without an engine.
 */
export function engineFields(
  ref: SandboxEngineRef | null | undefined,
): { engine: string; runtime: string | null } | Record<string, never> {
  return ref ? { engine: ref.endpoint, runtime: ref.runtime } : {};
}
