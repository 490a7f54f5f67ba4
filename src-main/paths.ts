import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Finds a built artefact. Bundled, this module sits in `out/main/` beside the gateway entry;
 * run from source (tests, benches), the build lives in `<repo>/out/`.
 */
function builtPath(...parts: string[]): string {
  const besideBundle = resolve(here, ...parts);
  if (existsSync(besideBundle)) return besideBundle;
  return resolve(here, '..', 'out', 'main', ...parts);
}

/** The gateway child's entry script. */
export function gatewayEntryPath(): string {
  return builtPath('gateway.js');
}

/** The built renderer directory served by web mode. */
export function rendererDirPath(): string {
  return builtPath('..', 'renderer');
}

/** The repository (or packaged app) root. */
export function appRootPath(): string {
  return existsSync(join(here, 'gateway.js')) ? resolve(here, '..', '..') : resolve(here, '..');
}
