import { z } from 'zod';
import { ConfigSchema } from '../../src-shared/config/schema.js';
import { MESSAGING_PROVIDERS } from '../../src-shared/domain/providers.js';

const hasWildcard = { contains: { const: '*' } };

/**
 * The config file's JSON Schema, for editor completion (`"$schema"` in the file, or the
 * editor's settings). It describes the file as written: keys with defaults are optional.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ConfigSchema, { io: 'input' });
  return {
    ...schema,
    title: 'Clawdbot configuration',
    description:
      'clawdbot.json (JSON5). A missing file means safe defaults: pairing for DMs, groups closed.',
    // zod's refinements have no JSON Schema form; the "open needs *" rule (both ways) is the one
    // a person is most likely to get wrong, so spell it out for the editor as well.
    allOf: MESSAGING_PROVIDERS.flatMap((p) => [
      {
        if: providerHas(p, 'dmPolicy', { const: 'open' }),
        then: providerHas(p, 'allowFrom', hasWildcard),
      },
      {
        if: providerHas(p, 'allowFrom', hasWildcard),
        then: providerHas(p, 'dmPolicy', { const: 'open' }),
      },
    ]),
  };
}

function providerHas(provider: string, key: string, value: Record<string, unknown>) {
  return {
    required: [provider],
    properties: { [provider]: { required: [key], properties: { [key]: value } } },
  };
}
