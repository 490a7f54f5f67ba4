// Downloads Electron's binary for the desktop app. Run by `npm install` (postinstall) and by
// `npm run electron:install`. npm itself never runs Electron's own install script (package.json
// `allowScripts` denies it), because a failed download there fails the whole install and npm
// rolls everything back; here a failure is one sentence and everything else stays installed:
// the CLI, the tests and `npm start` (which then serves the UI in the browser) need no Electron.
// With --strict (the npm script) a failure exits non-zero.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');
const strict = process.argv.includes('--strict');

// A production install (`--omit=dev`) has no Electron to download for.
if (!existsSync(join(electronDir, 'package.json'))) process.exit(0);
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
