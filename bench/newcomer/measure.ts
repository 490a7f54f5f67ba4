import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  failingElectronDownload,
  newcomerEnv,
  runToEnd,
  startWebUi,
  type RunningWebUi,
} from '../../test/helpers/fresh-clone.js';
import { NO_DOCKER_HOST } from '../../test/helpers/paths.js';
import { formatLoad } from '../lib/machine.js';

const INSTALL_TIMEOUT_MS = 30 * 60_000;
const TEST_TIMEOUT_MS = 4 * 60 * 60_000;

/** One command's wall time, with the machine's load when it started. */
export interface Timed {
  ms: number;
  load: string;
}

async function timed(what: string, run: () => Promise<void>): Promise<Timed> {
  const load = formatLoad();
  const started = performance.now();
  await run();
  const ms = performance.now() - started;
  console.log(`${what}: ${(ms / 1000).toFixed(1)} s (load at its start ${load})`);
  return { ms, load };
}

/**
 * `npm install` into an empty node_modules from a warm npm cache, with Electron's download
 * failing as it does here; `ignoreScripts` is the baseline: npm's own work (resolving,
 * extracting, linking) without any install script (better-sqlite3's build, Electron).
 */
export async function timeInstall(
  clone: string,
  root: string,
  ignoreScripts: boolean,
): Promise<Timed> {
  rmSync(join(clone, 'node_modules'), { recursive: true, force: true });
  const cache = join(root, 'electron-cache');
  mkdirSync(cache, { recursive: true });
  const args = ['install', '--prefer-offline', '--no-audit', '--no-fund'];
  return timed(`npm ${args.join(' ')}${ignoreScripts ? ' --ignore-scripts' : ''}`, async () => {
    const result = await runToEnd('npm', ignoreScripts ? [...args, '--ignore-scripts'] : args, {
      cwd: clone,
      env: newcomerEnv(failingElectronDownload(cache)),
      timeoutMs: INSTALL_TIMEOUT_MS,
    });
    if (result.code !== 0) throw new Error(`npm install failed:\n${result.output}`);
  });
}

/**
 * From running a command that serves the web UI until the page answers at the address it
 * printed; then the command is stopped. `fresh` removes `out/` first, so `npm start` builds as
 * it does the first time.
 */
export async function timeToUi(
  clone: string,
  root: string,
  command: string,
  args: string[],
  fresh: boolean,
): Promise<Timed> {
  if (fresh) rmSync(join(clone, 'out'), { recursive: true, force: true });
  const state = join(root, 'state');
  // Filled in inside the timed call; an object, so the `finally` sees what it was given.
  const running: { ui?: RunningWebUi } = {};
  try {
    return await timed(`${command} ${args.join(' ')} → UI answers`, async () => {
      const ui = (running.ui = await startWebUi(command, args, {
        cwd: clone,
        env: newcomerEnv({
          CLAWDBOT_STATE_DIR: state,
          CLAWDBOT_LOG_FILE: join(root, 'logs', 'clawdbot-YYYY-MM-DD.log'),
          DOCKER_HOST: NO_DOCKER_HOST,
        }),
      }));
      const page = await fetch(`${ui.origin}/`);
      if (page.status !== 200) throw new Error(`the UI answered ${page.status}`);
    });
  } finally {
    await running.ui?.stop();
  }
}

/** What `npm test` reported, besides its wall time. */
export interface TestRun extends Timed {
  code: number | null;
  summary: string;
  /** The failed tests, as vitest names them (`file > describe > test`). */
  failures: string[];
}

/**
 * `npm test` once, as a newcomer runs it after `npm install` (the whole suite: real Docker on
 * the engine this process names, Chromium, the fresh-clone test). The environment is passed on
 * as it is, so CLAWDBOT_REQUIRE_DOCKER / CLAWDBOT_REQUIRE_BROWSER apply when set.
 */
export async function timeTests(clone: string): Promise<TestRun> {
  let code: number | null = null;
  let summary = '';
  let failures: string[] = [];
  const result = await timed('npm test', async () => {
    const run = await runToEnd('npm', ['test'], {
      cwd: clone,
      env: newcomerEnv(),
      timeoutMs: TEST_TIMEOUT_MS,
    });
    code = run.code;
    // eslint-disable-next-line no-control-regex
    const plain = run.output.replace(/\u001b\[[0-9;]*m/g, '');
    summary = /^\s*Tests\s+(.+)$/m.exec(plain)?.[1]?.trim() ?? 'no summary line';
    // Without these a failed run says only how many; the clone and its output are gone after.
    failures = [
      ...new Set([...plain.matchAll(/^\s*FAIL\s+(.+?)\s*$/gm)].map((match) => match[1]!)),
    ];
    if (!existsSync(join(clone, 'node_modules'))) throw new Error('node_modules vanished');
  });
  console.log(`npm test: exit ${code}, ${summary}`);
  for (const failure of failures) console.log(`  failed: ${failure}`);
  return { ...result, code, summary, failures };
}
