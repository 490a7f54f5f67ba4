import { z } from 'zod';
import type { ToolName } from '../../../../src-shared/config/agent-schema.js';
import type { ToolSpec } from '../model/model-types.js';

const path = z
  .string({ error: 'path must be a string' })
  .min(1, 'path must not be empty')
  .max(4096, 'path is too long')
  .refine((p) => !p.includes('\0'), 'path must not contain a NUL byte');

/**
 * Each tool's arguments, validated before anything runs: a model is untrusted input, and a
 * clear message back lets it correct itself instead of the tool guessing.
 */
export const toolArgSchemas = {
  bash: z.strictObject({
    command: z.string({ error: 'command must be a string' }).min(1, 'command must not be empty'),
    timeoutSec: z.number().int().min(1).max(3600).optional(),
  }),
  read: z.strictObject({ path }),
  write: z.strictObject({ path, content: z.string({ error: 'content must be a string' }) }),
  edit: z.strictObject({
    path,
    oldText: z.string({ error: 'oldText must be a string' }),
    newText: z.string({ error: 'newText must be a string' }),
  }),
} as const satisfies Record<ToolName, z.ZodType>;

/** A tool's validated arguments. */
export type ToolArgs<T extends ToolName> = z.infer<(typeof toolArgSchemas)[T]>;

const descriptions: Record<ToolName, string> = {
  bash: 'Run a shell command with bash and return its exit code, stdout and stderr. The working directory is the workspace.',
  read: 'Read a text file. Relative paths are inside the workspace.',
  write:
    'Create or overwrite a text file with the given content, creating parent directories. Relative paths are inside the workspace.',
  edit: 'Replace exactly one occurrence of oldText with newText in a file. Fails, changing nothing, when oldText is missing or occurs more than once.',
};

/** The specs offered to the model, generated from the argument schemas. */
export function toolSpecs(tools: readonly ToolName[]): ToolSpec[] {
  return tools.map((name) => {
    const schema = z.toJSONSchema(toolArgSchemas[name], { io: 'input' });
    delete schema.$schema;
    return { name, description: descriptions[name], parameters: schema };
  });
}

/** A tool call's arguments parsed, or a message for the model saying what was wrong. */
export function parseToolArgs<T extends ToolName>(
  name: T,
  args: unknown,
): { ok: true; args: ToolArgs<T> } | { ok: false; message: string } {
  const parsed = toolArgSchemas[name].safeParse(args);
  if (parsed.success) return { ok: true, args: parsed.data as ToolArgs<T> };
  const problems = parsed.error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
  return { ok: false, message: `invalid arguments for ${name}: ${problems.join('; ')}` };
}
