import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { NO_DOCKER_HOST } from '../helpers/paths.js';
import { runningAsRoot, unprivilegedHome, unprivilegedWrapper } from '../helpers/other-user.js';
import { useTempStateDirs } from '../helpers/temp-state.js';
import { waitFor } from '../helpers/wait.js';

/**
 * The errors someone meets in their first ten minutes, each one line on stderr that says what
 * to do: a port in use, a second supervisor, a state directory they cannot write, a Docker
 * socket that refuses them, and finding the web UI's address again.
 */

/** stderr's lines that are ours (`clawdbot: …`), beside notices such as the log fallback. */
function errorLines(stderr: string): string[] {
  return stderr
    .trim()
    .split('\n')
    .filter((line) => /^clawdbot: /.test(line) && !/\blog(s|ging)?\b.*instead$|NO LOG/.test(line));
}

describe('errors a newcomer meets', () => {
  const stateDir = useTempStateDirs();
  const envFor = (dir: string): NodeJS.ProcessEnv => ({
    CLAWDBOT_STATE_DIR: dir,
    DOCKER_HOST: NO_DOCKER_HOST,
  });
  let occupied: Server;
  let busyPort: number;

  beforeAll(async () => {
    occupied = createServer();
    await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
    busyPort = (occupied.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => occupied.close(() => resolve())));

  it('a port in use: one line naming it, how to find a running Clawdbot, and --port', async () => {
    const env = envFor(stateDir());
    const result = await runCli(['supervise', '--web', '--port', String(busyPort)], env);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toBe(
      `clawdbot: port ${busyPort} on 127.0.0.1 is in use, by another Clawdbot (\`clawdbot web-url\` prints its address) or another program: choose another port with --port ${busyPort + 1}`,
    );
    // Run by `npm start`, the way to pass the option is through npm.
    const viaNpm = await runCli(['start', '--web', '--port', String(busyPort)], {
      ...env,
      npm_lifecycle_event: 'start',
    });
    expect(viaNpm.code).toBe(1);
    expect(viaNpm.stderr.trim()).toMatch(
      new RegExp(`choose another port with npm start -- --port ${busyPort + 1}$`),
    );
    // Nothing is left claiming the state directory: a supervisor can start right after.
    const status = await runCli(['status', '--json'], env);
    expect(JSON.parse(status.stdout)).toMatchObject({ supervisor: { running: false } });
  });

  it('another supervisor running: its pid, and how to reach it', async () => {
    const env = envFor(stateDir());
    const first = startCli(['supervise', '--web', '--port', '0'], env);
    try {
      await first.waitForOutput(/Web UI: /);
      const second = await runCli(['supervise', '--web', '--port', '0'], env);
      expect(second.code).toBe(1);
      expect(second.stderr.trim().split('\n')).toHaveLength(1);
      expect(second.stderr.trim()).toBe(
        `clawdbot: another supervisor is already running (pid ${first.child.pid}): \`clawdbot status\` shows it, \`clawdbot web-url\` prints its web UI address (the desktop app has its window and tray); stop it first to start another`,
      );
    } finally {
      await first.stop();
    }
  });

  it('web-url prints the running web UI address; without one it says how to get one', async () => {
    const env = envFor(stateDir());
    const none = await runCli(['web-url'], env);
    expect(none.code).toBe(1);
    expect(none.stderr.trim()).toBe(
      'clawdbot: no supervisor is running: start one with `npm start` or `clawdbot supervise --web`, which print the address',
    );

    const web = startCli(['supervise', '--web', '--port', '0'], env);
    try {
      const [, printed] = await web.waitForOutput(/Web UI: (\S+)/);
      const asked = await runCli(['web-url'], env);
      expect(asked.code, asked.stderr).toBe(0);
      expect(asked.stdout).toBe(`${printed}\n`);
    } finally {
      await web.stop();
    }

    const headless = startCli(['supervise'], env);
    try {
      await waitFor('the supervisor', async () => {
        const s = await runCli(['status', '--json'], env);
        return (JSON.parse(s.stdout) as { supervisor: { running: boolean } }).supervisor.running;
      });
      const noWeb = await runCli(['web-url'], env);
      expect(noWeb.code).toBe(1);
      expect(noWeb.stderr.trim()).toBe(
        `clawdbot: the running supervisor (pid ${headless.child.pid}) serves no web UI (it is the desktop app, or \`clawdbot supervise\` without --web): use its window, or stop it and run \`clawdbot supervise --web\``,
      );
    } finally {
      await headless.stop();
    }
  });

  it('a state directory this user cannot write: one line naming it and the fix', async () => {
    const dir = stateDir();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Its parent is open to all, so the refusal is the state directory's own.
    chmodSync(dirname(dir), 0o755);
    // Made by root (`sudo npm start` once); a normal user's own directory made read-only.
    if (!runningAsRoot) chmodSync(dir, 0o500);
    const home = unprivilegedHome();
    try {
      const result = await runCli(
        ['status'],
        { ...envFor(dir), HOME: home },
        30_000,
        unprivilegedWrapper(),
      );
      expect(result.code).toBe(1);
      const lines = errorLines(result.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(
          `^clawdbot: the state directory ${dir} is not writable by this user \\((EACCES|EPERM|SQLITE_\\w+)\\): make it yours with \`sudo chown -R "\\$\\(id -un\\)" ${dir}\` or set CLAWDBOT_STATE_DIR to a directory you can write$`,
        ),
      );
    } finally {
      chmodSync(dir, 0o700);
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('a state directory whose path runs through a file says so', async () => {
    const parent = dirname(stateDir());
    mkdirSync(parent, { recursive: true });
    writeFileSync(join(parent, 'file'), 'not a directory');
    const dir = join(parent, 'file', 'state');
    const result = await runCli(['status'], envFor(dir));
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `clawdbot: the state directory ${dir} cannot be created: something on its path is a file, not a directory (ENOTDIR); move it away or set CLAWDBOT_STATE_DIR to a directory you can write`,
    );
  });

  it.skipIf(process.platform !== 'linux')(
    'a Docker socket that refuses this user names the group to join',
    async () => {
      // A socket only root and the docker group may use, as Debian's docker.io makes it.
      const dir = dirname(stateDir());
      mkdirSync(dir, { recursive: true });
      chmodSync(dir, 0o755);
      const socketPath = join(dir, 'docker.sock');
      const engine = createServer();
      await new Promise<void>((resolve) => engine.listen(socketPath, resolve));
      chmodSync(socketPath, 0o660);
      if (!runningAsRoot) chmodSync(socketPath, 0o000);
      const home = unprivilegedHome();
      try {
        const state = join(home, 'state');
        const result = await runCli(
          ['sandbox', 'list'],
          { CLAWDBOT_STATE_DIR: state, HOME: home, DOCKER_HOST: `unix://${socketPath}` },
          30_000,
          unprivilegedWrapper(),
        );
        expect(result.code).toBe(1);
        expect(errorLines(result.stderr)).toEqual([
          `clawdbot: Docker is not reachable at ${socketPath} (EACCES: add yourself to the docker group (\`sudo usermod -aG docker "$(id -un)"\`), then log out and back in): sandboxed tools are refused; nothing runs on the host`,
        ]);
      } finally {
        await new Promise<void>((resolve) => engine.close(() => resolve()));
        rmSync(home, { recursive: true, force: true });
      }
    },
  );
});
