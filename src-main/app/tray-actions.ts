import { DEFAULT_KILL_REASON } from '../../src-shared/domain/kill-switch.js';
import type { Logger } from '../logging/logger.js';
import type { Dispatch } from '../supervisor/ipc-router.js';
import type { TrayAction } from '../supervisor/tray-model.js';

/** What the tray's actions reach besides the supervisor's contract. */
export interface TrayActionTargets {
  dispatch: Dispatch;
  showWindow(): void;
  openView(view: 'logs'): void;
  quit(): void;
  log: Logger;
}

/**
 * The tray's menu actions. Every supervisor action goes through the contract's dispatch, as the
 * window's buttons do — validated, refused while the kill switch forbids it, and recorded with
 * the tray as its source — and a refusal is logged, since a menu has nowhere to show it.
 */
export function trayActionHandler(targets: TrayActionTargets): (action: TrayAction) => void {
  const call = (channel: 'killswitch:engage' | 'gateway:start' | 'gateway:restart'): void => {
    const input = channel === 'killswitch:engage' ? { reason: DEFAULT_KILL_REASON } : {};
    void targets.dispatch(channel, input, { transport: 'tray' }).then((reply) => {
      if (!reply.ok) targets.log.warn('tray action refused', { channel, error: reply.error });
    });
  };
  return (action) => {
    switch (action) {
      case 'kill':
        call('killswitch:engage');
        break;
      case 'start':
        call('gateway:start');
        break;
      case 'restart':
        call('gateway:restart');
        break;
      case 'show':
        targets.showWindow();
        break;
      case 'logs':
        targets.openView('logs');
        break;
      case 'quit':
        targets.quit();
        break;
      default: {
        const unreachable: never = action;
        throw new Error(`unknown tray action ${String(unreachable)}`);
      }
    }
  };
}
