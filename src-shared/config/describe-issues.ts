import type { z } from 'zod';
import { formatConfigPath } from '../domain/config-edit.js';

/**
 * Config validation errors as lines a person can act on: the key path, then what is wrong and
 * what is allowed, e.g. `telegram.dmPolicy: expected one of "pairing"|"allowlist"|"open"|"disabled"`.
 */
export function describeConfigIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = formatConfigPath(issue.path);
    if (issue.code === 'custom') return issue.message;
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => (path ? `${path}.${k}` : k));
      return `unknown key${keys.length > 1 ? 's' : ''} ${keys.join(', ')}`;
    }
    if (issue.code === 'invalid_value') {
      return `${path || '(root)'}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join('|')}`;
    }
    return `${path || '(root)'}: ${issue.message}`;
  });
}
