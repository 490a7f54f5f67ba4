// Builds better-sqlite3 for Electron's ABI into .native/electron-<version>/, beside (never
// inside) node_modules, so the Node build used by tests and the CLI keeps working. Runs from
// `npm start` only (when Electron's binary is there and can show a window): it needs Electron's
// headers from the internet, which `npm install` must not.
import { cpSync, existsSync, mkdirSync, copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const electronVersion = require('electron/package.json').version;
const targetDir = join(root, '.native', `electron-${electronVersion}`);
const target = join(targetDir, 'better_sqlite3.node');

if (existsSync(target)) process.exit(0);

console.log(`Building better-sqlite3 for Electron ${electronVersion} (once) into ${targetDir}`);
const work = join(targetDir, 'work');
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, 'node_modules'), { recursive: true });
writeFileSync(
  join(work, 'package.json'),
  JSON.stringify({
    name: 'clawdbot-native',
    private: true,
    dependencies: { 'better-sqlite3': '*' },
  }),
);
const source = dirname(require.resolve('better-sqlite3/package.json'));
cpSync(source, join(work, 'node_modules', 'better-sqlite3'), {
  recursive: true,
  filter: (path) => !path.includes(`${join('better-sqlite3', 'build')}`),
});

// npm passes its own `nodedir` to scripts; a rebuild against Node's headers would produce a
// binary Electron refuses to load.
for (const key of Object.keys(process.env)) {
  if (key.toLowerCase() === 'npm_config_nodedir') delete process.env[key];
}

const { rebuild } = await import('@electron/rebuild');
try {
  await rebuild({ buildPath: work, electronVersion, onlyModules: ['better-sqlite3'], force: true });
} catch (error) {
  // node-gyp has said why above; one line here, no stack: `npm start` turns it into its reason.
  console.error(`better-sqlite3 was not built for Electron ${electronVersion}: ${error.message}`);
  rmSync(work, { recursive: true, force: true });
  process.exit(1);
}
copyFileSync(
  join(work, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'),
  target,
);
rmSync(work, { recursive: true, force: true });
console.log(`better-sqlite3 for Electron ${electronVersion} is ready`);
