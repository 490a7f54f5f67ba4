import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Electron as installed beside the app, when its binary was downloaded. */
export interface ElectronInstall {
  version: string;
  binary: string;
}

/**
 * Electron's version and binary, or null when the package or its downloaded binary is missing
 * (its download failed or was skipped). Asked through Electron's own `index.js`, which names
 * the binary for this platform.
 */
export function findElectron(appRoot: string): ElectronInstall | null {
  const require = createRequire(join(appRoot, 'package.json'));
  try {
    const { version } = require('electron/package.json') as { version: string };
    const binary = require('electron') as unknown;
    if (typeof binary !== 'string' || !existsSync(binary)) return null;
    return { version, binary };
  } catch {
    return null;
  }
}

/**
 * Where `npm start` builds better-sqlite3 for an Electron version (scripts/ensure-electron-native.mjs):
 * beside node_modules, never inside, so the Node build the CLI and tests load stays as it is.
 */
export function electronNativeBinding(appRoot: string, electronVersion: string): string {
  return join(appRoot, '.native', `electron-${electronVersion}`, 'better_sqlite3.node');
}
