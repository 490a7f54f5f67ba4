import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * `out/main`, where the gateway entry is built. Bundled, this module sits in `out/main/` or, when
 * several entries share it, in `out/main/chunks/`; run from source (tests, benches), the build
 * lives in `<repo>/out/main`.
 */
function outMainDir(): { dir: string; bundled: boolean } {
  for (const dir of [here, resolve(here, '..')]) {
    if (existsSync(join(dir, 'gateway.js'))) return { dir, bundled: true };
  }
  return { dir: resolve(here, '..', 'out', 'main'), bundled: false };
}

/** The gateway child's entry script. */
export function gatewayEntryPath(): string {
  return join(outMainDir().dir, 'gateway.js');
}

/** The built renderer directory served by web mode. */
export function rendererDirPath(): string {
  return resolve(outMainDir().dir, '..', 'renderer');
}

/** The repository (or packaged app) root. */
export function appRootPath(): string {
  const out = outMainDir();
  return out.bundled ? resolve(out.dir, '..', '..') : resolve(here, '..');
}
