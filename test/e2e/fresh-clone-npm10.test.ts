import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cloneRepository,
  failingElectronDownload,
  newcomerEnv,
  runToEnd,
} from '../helpers/fresh-clone.js';

/**
 * The same first command with npm 10, the npm that Node 20 and 22 ship: it ignores package.json's
 * `allowScripts`, so it runs Electron's own install script, whose download fails here. The
 * install must still succeed and leave a tree that builds (`npm start` builds first). npm 10 is
 * fetched from the npm registry by npx (once; then from the cache).
 */

const TIMEOUT_MS = 25 * 60_000;
const NPM10 = ['--yes', 'npm@10'];

describe('a fresh clone installed with npm 10, where Electron cannot be downloaded', () => {
  let root: string;
  let clone: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'clawdbot-npm10-'));
    clone = join(root, 'clawdbot');
    cloneRepository(clone);
  });

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it(
    'npm install succeeds, says why there is no desktop app in one sentence, and the app builds',
    { timeout: TIMEOUT_MS },
    async () => {
      const emptyElectronCache = join(root, 'electron-cache');
      mkdirSync(emptyElectronCache);
      const env = newcomerEnv(failingElectronDownload(emptyElectronCache));
      const version = await runToEnd('npx', [...NPM10, '--version'], {
        cwd: clone,
        env,
        timeoutMs: TIMEOUT_MS,
      });
      expect(version.output.trim()).toMatch(/^10\./);

      const install = await runToEnd(
        'npx',
        [...NPM10, 'install', '--prefer-offline', '--no-audit', '--no-fund'],
        { cwd: clone, env, timeoutMs: TIMEOUT_MS },
      );
      expect(install.code, install.output).toBe(0);
      expect(install.output).toMatch(
        /^Electron [\d.]+ could not be downloaded \(.*ECONNREFUSED.*\), so the desktop app is not installed; everything else is, and `npm start` serves the UI in your browser instead \(retry with `npm run electron:install`\)\.$/m,
      );
      expect(install.output).not.toMatch(/EBADENGINE|npm (error|ERR!)/);
      // Electron's package is back (the build reads it); its binary is not there.
      expect(existsSync(join(clone, 'node_modules', 'electron', 'package.json'))).toBe(true);
      expect(existsSync(join(clone, 'node_modules', 'electron', 'path.txt'))).toBe(false);

      const build = await runToEnd('npx', [...NPM10, 'run', 'build'], {
        cwd: clone,
        env,
        timeoutMs: TIMEOUT_MS,
      });
      expect(build.code, build.output).toBe(0);
      expect(existsSync(join(clone, 'out', 'main', 'cli.js'))).toBe(true);
    },
  );
});
