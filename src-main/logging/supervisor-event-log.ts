import type { EventName, EventPayload } from '../../src-shared/ipc/contract.js';
import { describeSweep } from '../../src-shared/domain/kill-switch.js';
import type { Logger } from './logger.js';

/** The part of the supervisor's event hub this needs. */
export interface EventSource {
  on<E extends EventName>(
    event: E,
    listener: (payload: EventPayload<E>) => void,
    signal: AbortSignal,
  ): void;
}

/**
 * Logs what the supervisor sees happen: gateway state changes (with the crash tail, which is the
 * one record of why a gateway died) and the kill switch. Messages and transcripts are not logged
 * here: they are in the database, and a log is the wrong place to copy conversations to.
 */
export function logSupervisorEvents(events: EventSource, log: Logger, signal: AbortSignal): void {
  let lastState: string | null = null;
  let lastExitAt: number | null = null;
  let lastEngaged: string | null = null;
  let lastSweep: string | null = null;
  events.on(
    'gateway:changed',
    (status) => {
      const exit = status.lastExit;
      // Every exit once, with its tail: a crash loop's earlier exits matter as much as the last.
      if (exit && exit.at !== lastExitAt) {
        lastExitAt = exit.at;
        const level = exit.code === 0 && exit.signal === null ? 'info' : 'error';
        log[level]('gateway exited', {
          code: exit.code,
          signal: exit.signal,
          stderrTail: exit.stderrTail,
        });
      }
      if (status.state === lastState) return;
      lastState = status.state;
      const fields = { state: status.state, pid: status.pid, message: status.message };
      if (status.state === 'crashed') log.error('gateway crashed', fields);
      else log.info(`gateway ${status.state}`, fields);
    },
    signal,
  );
  events.on(
    'killswitch:changed',
    (state) => {
      // The sandbox sweep updates the state every few seconds: log transitions, not ticks.
      const engaged = state.engaged ? `engaged ${state.engagedAt}` : 'armed';
      if (engaged !== lastEngaged) {
        lastEngaged = engaged;
        log.warn(state.engaged ? 'kill switch engaged' : 'kill switch re-armed', { ...state });
      }
      const sweep = state.sweep ? `${state.engagedAt} ${state.sweep.state}` : null;
      if (sweep !== lastSweep && state.sweep) {
        lastSweep = sweep;
        log[state.sweep.state === 'clear' ? 'info' : 'error'](describeSweep(state.sweep), {
          ...state.sweep,
        });
      }
    },
    signal,
  );
}
