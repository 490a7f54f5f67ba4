import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { offlineConfigDockerfile } from '../../src-main/container/gateway-image-build.js';
import {
  GATEWAY_GID,
  GATEWAY_IMAGE_CONFIG,
  GATEWAY_PACKAGES,
  GATEWAY_UID,
} from '../../src-main/container/gateway-image-recipe.js';
import { productionPackageDirs, sharedLibraries } from '../../src-main/container/gateway-rootfs.js';

const root = join(import.meta.dirname, '..', '..');
const dockerfile = readFileSync(join(root, 'docker', 'Dockerfile'), 'utf8');

/**
 * The two builds of the gateway image (docker/Dockerfile where a registry is reachable, the
 * offline build here) must make the same image: the same config, packages, user and paths.
 */
describe('the gateway image recipe', () => {
  it('has every config line of the offline build in the Dockerfile, verbatim', () => {
    const lines = dockerfile.split('\n');
    for (const line of GATEWAY_IMAGE_CONFIG) expect(lines).toContain(line);
  });

  it('installs the same Debian packages and makes the same user in both builds', () => {
    expect(dockerfile).toMatch(
      new RegExp(`apt-get install -y --no-install-recommends ${GATEWAY_PACKAGES.join(' ')};`),
    );
    expect(dockerfile).toContain(`useradd --uid ${GATEWAY_UID} --gid ${GATEWAY_GID}`);
    expect(dockerfile).toContain(`chown ${GATEWAY_UID}:${GATEWAY_GID} /data`);
    expect(dockerfile).toContain('chmod 0700 /data');
  });

  it('runs as a non-root user, with a healthcheck and tini as PID 1', () => {
    const user = GATEWAY_IMAGE_CONFIG.find((l) => l.startsWith('USER '));
    expect(user).toBe(`USER ${GATEWAY_UID}:${GATEWAY_GID}`);
    expect(GATEWAY_UID).not.toBe(0);
    expect(GATEWAY_IMAGE_CONFIG.some((l) => l.includes('"gateway", "health"'))).toBe(true);
    expect(GATEWAY_IMAGE_CONFIG).toContain('ENTRYPOINT ["/usr/bin/tini", "--", "clawdbot"]');
  });

  it('builds the offline image from the base plus the app layer, then the config', () => {
    const text = offlineConfigDockerfile('clawdbot-gateway-base:abc', 'hash1');
    const lines = text.split('\n');
    expect(lines[0]).toBe('FROM clawdbot-gateway-base:abc');
    expect(lines).toContain('ADD app.tar /');
    expect(lines).toContain('LABEL clawdbot.gateway.contentHash="hash1"');
    expect(lines.slice(-GATEWAY_IMAGE_CONFIG.length - 1, -1)).toEqual([...GATEWAY_IMAGE_CONFIG]);
  });
});

describe('what the offline build copies', () => {
  it('ships what the production dependencies reach, not dev tools and not the desktop shell', () => {
    const lock = JSON.stringify({
      lockfileVersion: 3,
      packages: {
        '': {
          name: 'clawdbot',
          dependencies: { zod: '4', a: '1', sharp: '0.34' },
          optionalDependencies: { electron: '39' },
          devDependencies: { vitest: '4' },
        },
        'node_modules/zod': { version: '4' },
        'node_modules/a': { version: '1', dependencies: { b: '1' } },
        'node_modules/a/node_modules/b': { version: '1', dependencies: { zod: '4' } },
        'node_modules/b': { version: '2', dev: true },
        'node_modules/vitest': { version: '4', dev: true, dependencies: { b: '2' } },
        // Marked optional like Electron's own dependencies, but sharp needs it at run time.
        'node_modules/sharp': {
          version: '0.34',
          optionalDependencies: { '@img/sharp-linux-x64': '0.34', '@img/sharp-win32-x64': '0.34' },
        },
        'node_modules/@img/sharp-linux-x64': { version: '0.34', optional: true },
        'node_modules/electron': {
          version: '39',
          optional: true,
          dependencies: { '@electron/get': '2' },
        },
        'node_modules/@electron/get': { version: '2', optional: true },
      },
    });
    expect(productionPackageDirs(lock)).toEqual([
      'node_modules/@img/sharp-linux-x64',
      'node_modules/a',
      'node_modules/a/node_modules/b',
      'node_modules/sharp',
      'node_modules/zod',
    ]);
  });

  it('refuses a lock file without a packages map, saying what to do', () => {
    expect(() => productionPackageDirs('{"lockfileVersion":1}')).toThrow(/npm 7 or newer/);
  });

  it("lists the libraries this machine's Node links against", () => {
    const libs = sharedLibraries(process.execPath);
    expect(libs.some((lib) => /\/libc\.so\.6$/.test(lib))).toBe(true);
    for (const lib of libs) expect(lib.startsWith('/')).toBe(true);
  });
});

describe('the repository real production dependencies', () => {
  it('include better-sqlite3 and exclude electron', () => {
    const dirs = productionPackageDirs(readFileSync(join(root, 'package-lock.json'), 'utf8'));
    expect(dirs).toContain('node_modules/better-sqlite3');
    expect(dirs).not.toContain('node_modules/electron');
    expect(dirs).not.toContain('node_modules/@electron/get');
    expect(dirs).not.toContain('node_modules/vitest');
  });
});
