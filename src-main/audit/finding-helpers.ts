import type { Config } from '../../src-shared/config/schema.js';
import type { Finding } from '../../src-shared/domain/audit.js';
import type { AuditInput } from './audit-input.js';

/** A check: a pure function of the gathered input, returning the findings it raises. */
export type Check = (input: AuditInput) => Finding[];

/** A check that needs a valid config; an invalid one is reported once, by its own check. */
export function configCheck(check: (config: Config, input: AuditInput) => Finding[]): Check {
  return (input) => (input.config.ok ? check(input.config.config, input) : []);
}

/** A key path as the config file spells it: `agent.sandbox.docker.env.TOKEN`, `x.allowFrom[0]`. */
export function keyPath(parts: readonly (string | number)[]): string {
  return parts.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    return out ? `${out}.${part}` : part;
  }, '');
}

/** A list for a sentence: `a`, `a and b`, `a, b and c`. */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
