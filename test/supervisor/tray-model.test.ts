import { describe, expect, it } from 'vitest';
import type { KillSwitchState } from '../../src-shared/domain/kill-switch.js';
import { armedKillSwitch } from '../helpers/kill-switch-states.js';
import type { PairingRequest } from '../../src-shared/domain/access.js';
import { idleGatewayStatus } from '../../src-shared/domain/gateway.js';
import { newPairingRequests } from '../../src-shared/domain/pairing-display.js';
import { crashNotice, pairingNotice, trayModel } from '../../src-main/supervisor/tray-model.js';

const armed = armedKillSwitch;
const engaged: KillSwitchState = {
  ...armed,
  engaged: true,
  reason: 'drill',
  engagedAt: 1,
  source: 'tray',
};

describe('the tray', () => {
  it('shows running, stopped, crashed and engaged', () => {
    expect(
      trayModel({
        gateway: { ...idleGatewayStatus, state: 'running', pid: 42 },
        killSwitch: armed,
      }),
    ).toMatchObject({ icon: 'running', statusLine: 'Gateway running (pid 42)' });
    expect(trayModel({ gateway: idleGatewayStatus, killSwitch: armed }).icon).toBe('stopped');
    expect(
      trayModel({ gateway: { ...idleGatewayStatus, state: 'crashed' }, killSwitch: armed }).icon,
    ).toBe('crashed');
    expect(trayModel({ gateway: idleGatewayStatus, killSwitch: engaged })).toMatchObject({
      icon: 'engaged',
      statusLine: 'Kill switch engaged: drill',
    });
  });

  it('always offers Stop everything, and offers no start while engaged', () => {
    const model = trayModel({ gateway: idleGatewayStatus, killSwitch: engaged });
    expect(model.items.find((i) => i.action === 'kill')).toMatchObject({ enabled: true });
    expect(model.items.find((i) => i.action === 'start')).toMatchObject({ enabled: false });
    const running = trayModel({
      gateway: { ...idleGatewayStatus, state: 'running', pid: 1 },
      killSwitch: armed,
    });
    expect(running.items.map((i) => i.action)).toEqual(['kill', 'restart', 'show', 'logs', 'quit']);
  });
});

function request(overrides: Partial<PairingRequest> & { id: string }): PairingRequest {
  return {
    provider: 'telegram',
    senderId: '4242',
    displayName: 'Alice',
    code: 'ABCD2345',
    createdAt: 1_000,
    lastSeenAt: 1_000,
    expiresAt: 3_601_000,
    ...overrides,
  };
}

describe('pairing requests in the tray', () => {
  const running = {
    gateway: { ...idleGatewayStatus, state: 'running' as const, pid: 7 },
    killSwitch: armed,
  };

  it('shows nothing about pairing while no one is waiting', () => {
    const model = trayModel(running, []);
    expect(model.pairing).toBeNull();
    expect(model.tooltip).toBe('Clawdbot — Gateway running (pid 7)');
  });

  it('counts the waiting requests and lists one entry per request, which opens it', () => {
    const model = trayModel(running, [
      request({ id: 'a' }),
      request({ id: 'b', provider: 'whatsapp', senderId: '+15550001', displayName: null }),
    ]);
    expect(model.pairing).toEqual({
      line: '2 pairing requests waiting',
      requests: [
        { requestId: 'a', label: 'Review Alice (4242) on Telegram…' },
        { requestId: 'b', label: 'Review +15550001 on WhatsApp…' },
      ],
    });
    expect(model.tooltip).toContain('2 pairing requests waiting');
    // The kill switch and the rest of the menu are unchanged by requests.
    expect(model.items.map((i) => i.action)).toEqual(['kill', 'restart', 'show', 'logs', 'quit']);
    expect(trayModel(running, [request({ id: 'a' })]).pairing?.line).toBe(
      '1 pairing request waiting',
    );
  });

  it("does not let a stranger's display name disguise itself", () => {
    // A right-to-left override would make the rest of the label read backwards.
    const sneaky = request({ id: 'x', displayName: '\u202Eevil\u200B\nname' + 'x'.repeat(100) });
    const label = trayModel(running, [sneaky]).pairing?.requests[0]?.label ?? '';
    expect(label).not.toMatch(/[\u202E\u200B\n]/);
    expect(label).toMatch(/^Review evilnamex+… \(4242\) on Telegram…$/);
    expect(label.length).toBeLessThan(80);
    expect(
      trayModel(running, [request({ id: 'y', displayName: ' \u200B ' })]).pairing?.requests[0]
        ?.label,
    ).toBe('Review 4242 on Telegram…');
  });
});

describe('desktop notifications of pairing requests', () => {
  it('names the provider and the sender, and says what a click does', () => {
    expect(pairingNotice(request({ id: 'a' })).body).toBe(
      'Pairing request on Telegram from Alice (4242) — click to review',
    );
  });

  it('notifies about new requests only, not about a known sender writing again', () => {
    const first = request({ id: 'a' });
    const again = { ...first, lastSeenAt: 2_000 };
    const second = request({ id: 'b', senderId: '5151', code: 'WXYZ2345' });
    expect(newPairingRequests([first], [again])).toEqual([]);
    expect(newPairingRequests([first], [again, second])).toEqual([second]);
    expect(newPairingRequests([first, second], [second])).toEqual([]);
  });
});

describe('the tray menu and title', () => {
  const stopped = { gateway: idleGatewayStatus, killSwitch: armed };

  it('offers Open logs, Stop everything, Restart and Quit', () => {
    const model = trayModel({
      gateway: { ...idleGatewayStatus, state: 'running', pid: 3 },
      killSwitch: armed,
    });
    expect(model.items.find((i) => i.action === 'logs')).toEqual({
      action: 'logs',
      label: 'Open logs',
      enabled: true,
    });
    // Still available while engaged: the logs are what the owner reads next.
    expect(
      trayModel({ gateway: idleGatewayStatus, killSwitch: engaged }).items.find(
        (i) => i.action === 'logs',
      )?.enabled,
    ).toBe(true);
  });

  it('shows the number of waiting requests as the menu-bar title, and nothing without', () => {
    expect(trayModel(stopped, []).title).toBe('');
    expect(trayModel(stopped, [request({ id: 'a' }), request({ id: 'b' })]).title).toBe('2');
  });
});

describe('the crash-loop notification', () => {
  const crashed = {
    ...idleGatewayStatus,
    state: 'crashed' as const,
    restarts: 5,
    message: 'crashed 5 times; token 123456:SECRET in stderr',
    lastExit: { code: 1, signal: null, at: 5, stderrTail: 'SECRET' },
  };

  it('fires once, when the gateway gives up', () => {
    const running = { ...idleGatewayStatus, state: 'running' as const, pid: 9 };
    const starting = { ...idleGatewayStatus, state: 'starting' as const };
    expect(crashNotice(running, starting)).toBeNull();
    const notice = crashNotice(starting, crashed);
    expect(notice).toEqual({
      title: 'Clawdbot: gateway crashed',
      body: 'The gateway kept crashing and was not restarted again (last exit: code 1). Open Clawdbot to see its logs.',
    });
    expect(crashNotice(null, crashed)).not.toBeNull();
    expect(crashNotice(crashed, { ...crashed, restarts: 6 })).toBeNull();
    expect(crashNotice(crashed, idleGatewayStatus)).toBeNull();
  });

  it('never repeats what the gateway printed (it may quote a secret)', () => {
    const notice = crashNotice(null, {
      ...crashed,
      lastExit: { ...crashed.lastExit, code: null, signal: 'SIGSEGV' },
    });
    expect(JSON.stringify(notice)).not.toContain('SECRET');
    expect(notice?.body).toContain('signal SIGSEGV');
  });
});
