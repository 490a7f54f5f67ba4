/** A scheduled callback, as the timers that made it return it. */
export type TimerHandle = ReturnType<typeof setTimeout>;

/**
 * Where a component schedules its work. Injected so a test can see what is still scheduled —
 * "nothing will restart the gateway" is then a fact to assert, not a wait that hopes to see
 * nothing happen.
 */
export interface Timers {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  setInterval(callback: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

/** The process's own timers. */
export const systemTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle),
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle),
};
