import { describe, expect, it } from 'vitest';
import { idleGatewayStatus } from '../../src-shared/domain/gateway.js';
import type { KillSwitchState } from '../../src-shared/domain/kill-switch.js';
import { trayModel } from '../../src-main/supervisor/tray-model.js';

const armed: KillSwitchState = {
  engaged: false,
  reason: null,
  engagedAt: null,
  source: null,
  lastReport: null,
};
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
    expect(running.items.map((i) => i.action)).toEqual(['kill', 'restart', 'show', 'quit']);
  });
});
