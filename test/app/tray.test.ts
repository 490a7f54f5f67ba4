import { describe, expect, it } from 'vitest';
import { armedKillSwitch } from '../helpers/kill-switch-states.js';
import type { PairingRequest } from '../../src-shared/domain/access.js';
import { idleGatewayStatus } from '../../src-shared/domain/gateway.js';
import type { StatusSnapshot } from '../../src-shared/ipc/contract.js';
import { createTray } from '../../src-main/app/tray.js';
import type { TrayAction } from '../../src-main/supervisor/tray-model.js';
import { FakeTray } from '../helpers/fake-electron.js';
import { pendingApproval } from '../helpers/approval-request.js';

/** An engine other than the local one, as an approval records it. */
const CI_ENGINE = { endpoint: 'ssh://ci@build:22', runtime: 'runsc' };

type Snapshot = Pick<StatusSnapshot, 'gateway' | 'killSwitch'>;
const armed = armedKillSwitch;
const snapshot = (patch: Partial<Snapshot> = {}): Snapshot => ({
  gateway: { ...idleGatewayStatus, state: 'running', pid: 4242 },
  killSwitch: armed,
  ...patch,
});
const stranger: PairingRequest = {
  id: 'req-1',
  provider: 'whatsapp',
  senderId: '+15550001111',
  displayName: 'Mallory',
  code: 'ABCD2345',
  createdAt: 1,
  lastSeenAt: 1,
  expiresAt: 2,
};

function setup(platform: NodeJS.Platform, pending: PairingRequest[] = []) {
  const trays: FakeTray[] = [];
  const actions: TrayAction[] = [];
  const reviewed: string[] = [];
  const tray = createTray(
    (image) => {
      const t = new FakeTray(image);
      trays.push(t);
      return t;
    },
    { assetsDir: '/app/assets', platform },
    { snapshot: snapshot(), pending },
    { onAction: (action) => actions.push(action), onReview: (id) => reviewed.push(id) },
  );
  return { tray, icon: trays[0]!, actions, reviewed };
}

describe('the tray', () => {
  it('each menu entry calls its action: the kill switch first, then the gateway, window, logs, quit', () => {
    const { icon, actions } = setup('linux');
    expect(icon.image).toBe('/app/assets/tray-running.png');
    expect(icon.tooltip).toBe('Clawdbot — Gateway running (pid 4242)');
    expect(icon.menu.map((item) => item.label ?? item.type)).toEqual([
      'Gateway running (pid 4242)',
      'separator',
      'Stop everything (kill switch)',
      'Restart gateway',
      'Show window',
      'Open logs',
      'Quit',
    ]);
    for (const label of [/Stop everything/, /Restart/, /Show window/, /Open logs/, /Quit/])
      icon.click(label);
    expect(actions).toEqual(['kill', 'restart', 'show', 'logs', 'quit']);
    expect(icon.item(/^Gateway running/).enabled).toBe(false);
  });

  it('lists requests waiting, each opening its review; the count beside the icon on macOS only', () => {
    const mac = setup('darwin', [stranger]);
    expect(mac.icon.title).toBe('1');
    expect(mac.icon.item(/waiting/).enabled).toBe(false);
    mac.icon.click(/Review Mallory/);
    expect(mac.reviewed).toEqual(['req-1']);
    const linux = setup('linux', [stranger]);
    expect(linux.icon.title).toBe('');
    expect(linux.icon.tooltip).toContain('1 pairing request waiting');
  });

  it('follows the state: engaged shows the switch and cannot start; destroy removes the icon', () => {
    const { tray, icon } = setup('linux');
    tray.update(
      snapshot({
        gateway: { ...idleGatewayStatus },
        killSwitch: { ...armed, engaged: true, reason: 'drill', engagedAt: 5, source: 'tray' },
      }),
      [],
    );
    expect(icon.image).toBe('/app/assets/tray-engaged.png');
    expect(icon.item(/^Kill switch engaged: drill/)).toBeTruthy();
    expect(icon.item(/Start gateway/).enabled).toBe(false);
    expect(() => icon.click(/Start gateway/)).toThrow(/not clickable/);
    tray.destroy();
    expect(icon.destroyed).toBe(true);
  });

  it('names where each waiting command runs: the host, or the engine and runtime recorded when it was asked for', () => {
    const { tray, icon } = setup('linux');
    tray.update(
      snapshot(),
      [],
      [
        pendingApproval('aaa222', 'rm -rf ~/old'),
        { ...pendingApproval('bbb333', 'make test'), where: 'sandbox', engine: CI_ENGINE },
        { ...pendingApproval('ccc444', 'ls'), where: 'sandbox', engine: null },
      ],
    );
    expect(icon.item(/rm -rf/).label).toBe('Decide: rm -rf ~/old (main) on this computer (host)…');
    expect(icon.item(/make test/).label).toBe(
      'Decide: make test (main) on sandbox on ssh://ci@build:22, runsc…',
    );
    expect(icon.item(/ls/).label).toBe('Decide: ls (main) on sandbox (engine not recorded)…');
  });
});
