// Downloads Electron's binary for the desktop app. Run by `npm install` (postinstall) and by
// `npm run electron:install`. npm 11.16+ never runs Electron's own install script (package.json
// `allowScripts` denies it), because a failed download there fails the whole install and npm
// rolls everything back; here a failure is one sentence and everything else stays installed:
// the CLI, the tests and `npm start` (which then serves the UI in the browser) need no Electron.
// npm 10 (what Node 20 and 22 ship) ignores `allowScripts`, so Electron is an optional
// dependency: npm 10 runs its script, and when the download fails it drops the package instead
// of failing the install. The build still needs Electron's package (not its binary), so this
// script puts it back without its script, then downloads as on any npm.
// With --strict (the npm script) a failure exits non-zero.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');
const strict = process.argv.includes('--strict');

const omitted = (process.env.npm_config_omit ?? '').split(/[\s,]+/);
// An install without optional dependencies asked for no desktop app.
if (omitted.includes('optional')) process.exit(0);
if (!existsSync(join(electronDir, 'package.json'))) restorePackage();
if (!existsSync(join(electronDir, 'package.json'))) process.exit(strict ? 1 : 0);
const { version } = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8'));

function installed() {
  try {
    const have = readFileSync(join(electronDir, 'dist', 'version'), 'utf8').replace(/^v/, '');
    return have.trim() === version && existsSync(join(electronDir, 'path.txt'));
  } catch {
    return false;
  }
}

if (installed()) process.exit(0);
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log(
    `Electron ${version} not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD is set): \`npm start\` serves the UI in your browser instead of the desktop app.`,
  );
  process.exit(0);
}

console.log(`Downloading Electron ${version} for the desktop app (about 100 MB, once)…`);
const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
  cwd: electronDir,
  encoding: 'utf8',
  stdio: ['ignore', 'inherit', 'pipe'],
});
if (result.status === 0 && installed()) process.exit(0);

// install.js prints a whole stack; its first line ("RequestError: getaddrinfo ENOTFOUND
// github.com") is the reason.
const reason =
  (result.stderr ?? '')
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '') ?? `exit ${result.status ?? result.signal}`;
console.log(
  `Electron ${version} could not be downloaded (${reason}), so the desktop app is not installed; everything else is, and \`npm start\` serves the UI in your browser instead (retry with \`npm run electron:install\`).`,
);
process.exit(strict ? 1 : 0);

/**
 * Puts Electron's package back (npm 10 dropped it when its own download failed): the version
 * package-lock.json pins, installed with scripts off and without touching package.json or the
 * lock. Its binary is then downloaded above, like on any npm.
 */
function restorePackage() {
  let pinned;
  try {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
    pinned = lock.packages?.['node_modules/electron']?.version;
  } catch {
    // No lock (a package tarball): nothing says which Electron to restore.
  }
  if (!pinned) return;
  const npm = process.env.npm_execpath;
  const [command, prefix] = npm ? [process.execPath, [npm]] : ['npm', []];
  const restored = spawnSync(
    command,
    [
      ...prefix,
      'install',
      '--no-save',
      '--ignore-scripts',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      `electron@${pinned}`,
    ],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] },
  );
  if (restored.status !== 0) {
    const reason = (restored.stderr ?? '').split('\n').find((line) => line.trim() !== '');
    console.log(
      `Electron ${pinned} could not be installed (${reason ?? `npm exit ${restored.status}`}), so neither the desktop app nor the build that needs Electron's package works; run \`npm install\` again once the npm registry answers.`,
    );
  }
}
