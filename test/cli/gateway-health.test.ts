import { describe, expect, it } from 'vitest';
import { unhealthyReason } from '../../src-main/cli/commands/gateway.js';
import { idleGatewayStatus } from '../../src-shared/domain/gateway.js';
import { runCli } from '../helpers/cli.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

/**
 * `clawdbot gateway health`, the container's HEALTHCHECK: healthy only while the supervisor runs,
 * the kill switch is armed and the gateway is up. (A healthy container is tested end to end in
 * test/container/gateway-container.test.ts.)
 */
describe('clawdbot gateway health', () => {
  const tempState = useTempStateDirs();
  const running = { ...idleGatewayStatus, state: 'running' as const, pid: 42 };

  it('says why a gateway is not healthy', () => {
    expect(unhealthyReason(true, running, false)).toBeNull();
    expect(unhealthyReason(false, running, false)).toBe('no supervisor is running');
    expect(unhealthyReason(true, running, true)).toBe('the kill switch is engaged');
    expect(
      unhealthyReason(true, { ...idleGatewayStatus, state: 'crashed', message: 'exit 1' }, false),
    ).toBe('the gateway is crashed (exit 1)');
  });

  it('exits 1 with the reason when nothing runs', async () => {
    const result = await runCli(['gateway', 'health'], { CLAWDBOT_STATE_DIR: tempState() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/unhealthy: no supervisor is running/);
  });
});
