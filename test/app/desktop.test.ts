import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_KILL_REASON } from '../../src-shared/domain/kill-switch.js';
import { BRIDGE_EVENT_CHANNEL, BRIDGE_INVOKE_CHANNEL } from '../../src-shared/ipc/bridge.js';
import type { Envelope } from '../../src-shared/ipc/envelope.js';
import type { StatusSnapshot } from '../../src-shared/ipc/contract.js';
import { createAccessStore } from '../../src-main/access/access-store.js';
import { PairingService } from '../../src-main/access/pairing-service.js';
import { startDesktop, type DesktopShell } from '../../src-main/app/desktop.js';
import { LOG_FILE_ENV } from '../../src-main/logging/log-destination.js';
import { isAlive } from '../../src-main/process/process-identity.js';
import { silentLogger } from '../../src-main/logging/logger.js';
import { createApprovalsRepo, type ApprovalsRepo } from '../../src-main/store/approvals-repo.js';
import { pendingApproval } from '../helpers/approval-request.js';
import { createKillSwitchRepo } from '../../src-main/store/kill-switch-repo.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { createRuntimeRepo } from '../../src-main/store/runtime-repo.js';
import { fakeElectron, type FakeElectron } from '../helpers/fake-electron.js';
import { readLogRecords } from '../helpers/log-files.js';
import { repoRoot } from '../helpers/paths.js';
import { fastPolicy, unreachableDocker } from '../helpers/supervisor.js';
import { waitFor } from '../helpers/wait.js';

const outDir = join(repoRoot, 'out');
const ownPage = pathToFileURL(join(outDir, 'renderer', 'index.html')).href;

describe('the desktop app, on fakes of Electron and a real supervisor and gateway', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(platform: NodeJS.Platform = 'linux'): Promise<{
    electron: FakeElectron;
    shell: DesktopShell;
    stateDir: string;
    logDir: string;
  }> {
    const root = mkdtempSync(join(tmpdir(), 'clawdbot-desktop-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const stateDir = join(root, 'state');
    const logDir = join(root, 'logs');
    const electron = fakeElectron(platform);
    const shell = await startDesktop(electron.ports, {
      stateDir,
      outDir,
      assetsDir: join(repoRoot, 'assets'),
      renderer: { packaged: true },
      env: { ...process.env, [LOG_FILE_ENV]: join(logDir, 'clawdbot-YYYY-MM-DD.log') },
      docker: unreachableDocker(),
      policy: fastPolicy,
    });
    // Quitting closes the supervisor and its gateway; a test that did not quit is quit here.
    cleanups.push(async () => {
      if (electron.app.exitCode === null) {
        electron.app.beforeQuit();
        await electron.app.exited;
      }
    });
    return { electron, shell, stateDir, logDir };
  }

  /** What the window's page gets for a contract call. */
  const invoke = (
    electron: FakeElectron,
    channel: string,
    input: unknown,
    frame = electron.windows[0]!.topFrame(),
  ): Promise<Envelope<unknown>> =>
    electron.ipcMain.invoke(frame, BRIDGE_INVOKE_CHANNEL, channel, input) as Promise<
      Envelope<unknown>
    >;

  it('runs the gateway as a utility process, opens its sandboxed page, and answers that page alone', async () => {
    const { electron, shell } = await start();
    const [window] = electron.windows;
    expect(window!.url).toBe(ownPage);
    expect(window!.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    });
    const running = await waitFor('the gateway running', () => {
      const { gateway } = shell.host.supervisor.snapshot();
      return gateway.state === 'running' ? gateway : null;
    });
    expect(isAlive(running.pid!)).toBe(true);
    expect(electron.trays[0]!.image).toBe(join(repoRoot, 'assets', 'tray-running.png'));

    const status = (await invoke(electron, 'status:get', {})) as Envelope<StatusSnapshot>;
    expect(status.ok && status.value.gateway.pid).toBe(running.pid);
    // An iframe inside our own page is not the window.
    const framed = await invoke(
      electron,
      'gateway:stop',
      {},
      {
        parent: window!.topFrame(),
        url: ownPage,
      },
    );
    expect(framed).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(shell.host.supervisor.snapshot().gateway.state).toBe('running');
    // The window hears every event (the state it was loaded in, and what came after).
    expect(window!.sent.some((s) => s.channel === BRIDGE_EVENT_CHANNEL)).toBe(true);
  });

  it("the tray's actions go through the contract as the tray: a stale Start is refused and logged, the kill is recorded as the tray's", async () => {
    const { electron, shell, stateDir, logDir } = await start();
    await waitFor('the gateway running', () =>
      electron.trays[0]!.menu.some((i) => i.label === 'Restart gateway'),
    );
    expect((await invoke(electron, 'gateway:stop', {})).ok).toBe(true);
    const tray = electron.trays[0]!;
    await waitFor('the tray offering a start', () => tray.item(/Start gateway/).enabled);

    // The CLI pulls the switch; the tray's menu has not heard yet when the owner clicks Start.
    const cli = openDatabase(stateDir);
    cleanups.push(() => void cli.close());
    createKillSwitchRepo(cli).engage('from the CLI', 'cli', Date.now());
    tray.click(/Start gateway/);
    const refusal = await waitFor('the refusal logged', () =>
      readLogRecords(logDir).find((r) => r['msg'] === 'tray action refused'),
    );
    expect(refusal).toMatchObject({
      scope: 'tray',
      channel: 'gateway:start',
      error: { code: 'KILL_SWITCH_ENGAGED' },
    });
    expect(shell.host.supervisor.snapshot().gateway.state).toBe('stopped');

    expect((await invoke(electron, 'killswitch:rearm', { confirm: true })).ok).toBe(true);
    tray.click(/Stop everything/);
    const engaged = await waitFor('the kill switch engaged from the tray', () => {
      const { killSwitch } = shell.host.supervisor.snapshot();
      return killSwitch.engaged ? killSwitch : null;
    });
    expect(engaged).toMatchObject({ reason: DEFAULT_KILL_REASON, source: 'tray' });
    await waitFor('the tray showing the switch', () => tray.image.endsWith('tray-engaged.png'));
    expect(tray.item(/Start gateway/).enabled).toBe(false);
  });

  it('a stranger waiting: notified and listed in the tray, whose entry opens the window on the request; handled elsewhere, both go', async () => {
    const { electron, stateDir } = await start();
    const gateway = openDatabase(stateDir);
    cleanups.push(() => void gateway.close());
    const pairing = new PairingService(createAccessStore(gateway));
    const outcome = pairing.onStranger('telegram', '555', 'Mallory');
    if (outcome.kind !== 'created') throw new Error(`no request: ${outcome.kind}`);
    const notification = await waitFor('the notification', () => electron.notifications.open()[0]);
    expect(notification.options.body).toBe(
      'Pairing request on Telegram from Mallory (555) — click to review',
    );
    const tray = electron.trays[0]!;
    expect(tray.item(/Review Mallory/)).toBeTruthy();

    // The owner closed the window; the tray's entry brings a new one, told once it listens.
    electron.windows[0]!.destroyed = true;
    tray.click(/Review Mallory/);
    const reopened = electron.windows[1]!;
    expect(reopened.visible && reopened.focused).toBe(true);
    const focus = (): unknown => reopened.sent.find((s) => s.args[0] === 'pairing:focus')?.args[1];
    expect(focus()).toBeUndefined();
    reopened.finishLoading();
    expect(focus()).toEqual({ requestId: outcome.request.id });

    // Approved from the CLI: the notification goes, and the tray's entry with it.
    pairing.approve('telegram', outcome.request.code, { notify: false, actor: 'cli' });
    await waitFor('the notification withdrawn', () => notification.closed);
    await waitFor(
      'the tray entry gone',
      () => !tray.menu.some((i) => /Review/.test(i.label ?? '')),
    );
  });

  /** A command waiting for approval, stored as the gateway stores one; the repo to read it. */
  function waitingCommand(stateDir: string, id: string, command: string): ApprovalsRepo {
    const gateway = openDatabase(stateDir);
    cleanups.push(() => void gateway.close());
    const repo = createApprovalsRepo(gateway, silentLogger);
    repo.insert(pendingApproval(id, command));
    return repo;
  }

  it('a command waiting for approval: notified, counted and listed in the tray; decided in the window, both go', async () => {
    const { electron, stateDir } = await start();
    const tray = electron.trays[0]!;
    const has = (label: RegExp): boolean => tray.menu.some((i) => label.test(i.label ?? ''));
    // A starting gateway denies what an earlier run left waiting: the request comes after.
    await waitFor('the gateway running', () => has(/Gateway running/));
    waitingCommand(stateDir, 'abc234', 'rm -rf ~/old');
    const notification = await waitFor('the notification', () =>
      electron.notifications.open().find((n) => /approval needed/.test(n.options.title)),
    );
    expect(notification.options.body).toContain('rm -rf ~/old');
    await waitFor('the tray entry', () => has(/Decide: rm -rf ~\/old/));
    expect(has(/1 command waiting for approval/)).toBe(true);

    // Decided in the window (through the contract, as the desktop): the first answer wins.
    const decided = await invoke(electron, 'approvals:decide', { id: 'abc234', choice: 'deny' });
    expect(decided).toMatchObject({ ok: true, value: { outcome: 'deny', decidedVia: 'desktop' } });
    const again = await invoke(electron, 'approvals:decide', { id: 'abc234', choice: 'once' });
    expect(again).toMatchObject({ ok: false });
    await waitFor('the notification withdrawn', () => notification.closed);
    await waitFor('the tray entry gone', () => !has(/Decide:/));
  });

  it('on macOS the notification’s Allow once decides the request as the desktop; the tray entry goes', async () => {
    const { electron, stateDir } = await start('darwin');
    const tray = electron.trays[0]!;
    const has = (label: RegExp): boolean => tray.menu.some((i) => label.test(i.label ?? ''));
    await waitFor('the gateway running', () => has(/Gateway running/));
    const repo = waitingCommand(stateDir, 'mac234', 'git push');
    const notification = await waitFor('the notification', () =>
      electron.notifications.open().find((n) => /approval needed/.test(n.options.title)),
    );
    expect(notification.options.actions).toEqual(['Allow once', 'Allow always', 'Deny']);
    notification.press('Allow once');
    expect(repo.get('mac234')).toMatchObject({
      state: 'allowed',
      outcome: 'once',
      decidedVia: 'desktop',
    });
    await waitFor('the tray entry gone', () => !has(/Decide:/));
    expect(electron.windows.at(-1)?.visible ?? false).toBe(false);
  });

  it('a second launch shows the window; quitting stops the gateway and releases the state directory before exiting', async () => {
    const { electron, shell, stateDir } = await start();
    const { pid } = await waitFor('the gateway running', () => {
      const { gateway } = shell.host.supervisor.snapshot();
      return gateway.state === 'running' ? gateway : null;
    });
    electron.app.events.emit('second-instance');
    expect(electron.windows[0]!.visible).toBe(true);
    expect(electron.windows[0]!.focused).toBe(true);

    const quit = electron.app.beforeQuit();
    expect(quit.prevented).toBe(true);
    expect(await electron.app.exited).toBe(0);
    expect(isAlive(pid!)).toBe(false);
    expect(electron.trays[0]!.destroyed).toBe(true);
    expect(electron.ipcMain.handlers.size).toBe(0);
    const db = openDatabase(stateDir);
    try {
      expect(createRuntimeRepo(db).readSupervisor()).toBeNull();
    } finally {
      db.close();
    }
  });
});
