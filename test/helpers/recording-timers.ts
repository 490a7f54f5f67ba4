import type { TimerHandle, Timers } from '../../src-main/process/timers.js';

/** Real timers that also know which are still scheduled. */
export interface RecordingTimers extends Timers {
  /** How many callbacks are still scheduled (timeouts not yet run, intervals not cleared). */
  pending(): number;
}

/**
 * The process's timers, recording what is scheduled: "nothing will start the gateway again" is
 * then `pending() === 0` once the decision was taken, instead of a wait that hopes to see
 * nothing happen.
 */
export function recordingTimers(): RecordingTimers {
  const live = new Set<TimerHandle>();
  return {
    setTimeout(callback, ms) {
      const handle = setTimeout(() => {
        live.delete(handle);
        callback();
      }, ms);
      live.add(handle);
      return handle;
    },
    clearTimeout(handle) {
      live.delete(handle);
      clearTimeout(handle);
    },
    setInterval(callback, ms) {
      const handle = setInterval(callback, ms);
      live.add(handle);
      return handle;
    },
    clearInterval(handle) {
      live.delete(handle);
      clearInterval(handle);
    },
    pending: () => live.size,
  };
}
