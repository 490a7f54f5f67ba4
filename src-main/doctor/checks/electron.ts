import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { electronNativeBinding, findElectron } from '../../electron-install.js';
import { defineCheck } from '../doctor-context.js';

/**
 * Electron for the desktop app: downloaded or not, and better-sqlite3 built for its ABI (which
 * the first `npm start` does). Informational: the web UI needs neither.
 */
export const checkElectron = defineCheck(
  'native.electron',
  'Electron (desktop app)',
  (context, _facts, o) => {
    const inElectron = process.versions['electron'];
    if (inElectron) return o.ok(`running in Electron ${inElectron}`);
    if (!existsSync(join(context.appRoot, 'node_modules', 'electron', 'package.json'))) {
      return o.info('not part of this installation: the UI is the web UI');
    }
    const electron = findElectron(context.appRoot);
    if (!electron) {
      return o.info(
        'not downloaded (its download failed or was skipped): `npm start` serves the web UI instead of the desktop app',
        "`npm run electron:install`, where Electron's downloads (GitHub) are reachable",
      );
    }
    if (existsSync(electronNativeBinding(context.appRoot, electron.version))) {
      return o.ok(`${electron.version}, with better-sqlite3 built for it`);
    }
    return o.info(
      `${electron.version}; better-sqlite3 is built for it by the first \`npm start\` (it downloads Electron's headers)`,
    );
  },
);
