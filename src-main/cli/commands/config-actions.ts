import { loadConfigSync } from '../../config/load-config.js';
import { CliError } from '../cli-error.js';
import { configJsonSchema } from '../config-json-schema.js';

/**
 * `config validate`: the same loader the gateway uses, so "valid" here means the gateway will
 * accept it. Reads only the file: no database, no state directory is created.
 */
export function validateConfigFile(path: string): void {
  const result = loadConfigSync(path);
  if (!result.ok) {
    // Syntax errors arrive prefixed with the path; it is already in the heading.
    const errors = result.errors.map((e) =>
      e.startsWith(`${path}: `) ? e.slice(path.length + 2) : e,
    );
    throw new CliError(
      [
        `${path} is invalid (${errors.length} error${errors.length === 1 ? '' : 's'}):`,
        ...errors.map((e) => `  ${e}`),
      ].join('\n'),
    );
  }
  process.stdout.write(
    result.exists
      ? `${path}: valid\n`
      : `${path}: no such file, so Clawdbot is using safe defaults (pairing for DMs, groups closed)\n`,
  );
}

/** `config schema`: the JSON Schema, pretty-printed so it can be saved as a file. */
export function printConfigSchema(): void {
  process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
}
