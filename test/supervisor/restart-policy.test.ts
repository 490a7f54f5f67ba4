import { describe, expect, it } from 'vitest';
import { RestartPolicy, defaultRestartPolicy } from '../../src-main/supervisor/restart-policy.js';

describe('RestartPolicy', () => {
  it('backs off 1 s, 2 s, 5 s, 10 s, then 30 s for crashes spread beyond the window', () => {
    const policy = new RestartPolicy();
    const delays: number[] = [];
    // Crashes 30 s apart: never 5 within 60 s, short uptimes keep the streak going.
    for (let i = 0; i < 7; i++) {
      const decision = policy.onCrash(i * 30_000, 1000);
      expect(decision.kind).toBe('restart');
      if (decision.kind === 'restart') delays.push(decision.delayMs);
    }
    expect(delays).toEqual([1000, 2000, 5000, 10_000, 30_000, 30_000, 30_000]);
  });

  it('gives up at the fifth crash within 60 s', () => {
    const policy = new RestartPolicy();
    const kinds = [0, 1000, 3000, 8000, 18_000].map((at) => policy.onCrash(at, 100).kind);
    expect(kinds).toEqual(['restart', 'restart', 'restart', 'restart', 'give-up']);
  });

  it('does not give up when the crashes are spread over more than 60 s', () => {
    const policy = new RestartPolicy();
    const kinds = [0, 20_000, 40_000, 61_000, 62_000].map((at) => policy.onCrash(at, 100).kind);
    expect(kinds.at(-1)).toBe('restart');
  });

  it('starts the backoff over after the gateway stayed up long enough', () => {
    const policy = new RestartPolicy();
    policy.onCrash(0, 100);
    policy.onCrash(10_000, 100);
    const after = policy.onCrash(200_000, defaultRestartPolicy.stableAfterMs);
    expect(after).toEqual({ kind: 'restart', delayMs: 1000, attempt: 1 });
  });

  it('forgets history on reset (an explicit start)', () => {
    const policy = new RestartPolicy();
    for (let i = 0; i < 4; i++) policy.onCrash(i, 10);
    policy.reset();
    expect(policy.onCrash(5, 10)).toEqual({ kind: 'restart', delayMs: 1000, attempt: 1 });
  });
});
