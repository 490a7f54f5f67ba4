import type { GatewayState } from '../../src-shared/domain/gateway.js';
import { gatewayEntryPath } from '../../src-main/paths.js';
import { startHeadlessSupervisor, type HeadlessSupervisor } from '../../src-main/web/headless.js';
import type { Supervisor } from '../../src-main/supervisor/supervisor.js';

/** Supervisors started and not yet closed, so an interrupted bench can still close them. */
const open = new Set<HeadlessSupervisor>();

/**
 * Starts a headless supervisor over `stateDir`, as `clawdbot supervise` does: without a web UI,
 * or with `web` as `clawdbot supervise --web` serves it.
 */
export async function startSupervisor(
  stateDir: string,
  web: Parameters<typeof startHeadlessSupervisor>[0]['web'] = null,
): Promise<HeadlessSupervisor> {
  const headless = await startHeadlessSupervisor({
    stateDir,
    gatewayEntry: gatewayEntryPath(),
    web,
  });
  open.add(headless);
  return headless;
}

/** Closes a supervisor started by `startSupervisor` (its gateway child stops with it). */
export async function closeSupervisor(headless: HeadlessSupervisor): Promise<void> {
  open.delete(headless);
  await headless.close();
}

/** Closes every supervisor still open, ignoring failures: for cleanup after an error. */
export async function closeAllSupervisors(): Promise<void> {
  for (const headless of [...open]) {
    open.delete(headless);
    await headless.close().catch(() => undefined);
  }
}

/**
 * Resolves with `performance.now()` at the moment the gateway state becomes `state` (at once if
 * it already is), so a timing ends on the state change itself rather than on a later poll.
 */
export function whenState(
  supervisor: Supervisor,
  state: GatewayState,
  timeoutMs = 20_000,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const abort = new AbortController();
    const timer = setTimeout(() => {
      abort.abort();
      reject(
        new Error(
          `gateway did not become ${state} within ${timeoutMs} ms (is ${supervisor.manager.status().state}: ${supervisor.manager.status().message ?? ''})`,
        ),
      );
    }, timeoutMs);
    const done = (at: number): void => {
      clearTimeout(timer);
      abort.abort();
      resolve(at);
    };
    supervisor.manager.onChange((status) => {
      if (status.state === state) done(performance.now());
    }, abort.signal);
    if (supervisor.manager.status().state === state) done(performance.now());
  });
}
