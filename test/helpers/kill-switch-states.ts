import type { KillSwitchState } from '../../src-shared/domain/kill-switch.js';

/** A kill switch never pulled, as a fresh database reads it. */
export const armedKillSwitch: KillSwitchState = {
  engaged: false,
  reason: null,
  engagedAt: null,
  source: null,
  lastReport: null,
  sweep: null,
};
