import type { z } from 'zod';

/**
 * A one-line description of what was wrong with a payload, naming each offending key path,
 * e.g. `reason: Too big: expected string to have <=500 characters`.
 */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(input)';
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}
