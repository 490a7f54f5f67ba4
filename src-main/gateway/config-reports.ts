import type { ConfigService } from '../config/config-service.js';
import type { Logger } from '../logging/logger.js';

/**
 * Logs the gateway's config as it goes: a file rejected at start (and what runs instead: the
 * last good config, or safe defaults), each good edit taken, each bad edit refused. Until
 * `signal` aborts.
 */
export function reportConfig(
  config: Pick<ConfigService, 'current' | 'onChange'>,
  log: Logger,
  signal?: AbortSignal,
): void {
  const initial = config.current();
  if (initial.errors) {
    const fields = { path: initial.path, errors: initial.errors };
    if (initial.source === 'defaults')
      log.error('config rejected; running with safe defaults', fields);
    else
      log.error('config rejected; running on the last good config', {
        ...fields,
        lastGoodAt: initial.lastGoodAt === null ? null : new Date(initial.lastGoodAt).toISOString(),
      });
  }
  config.onChange((state) => {
    if (state.errors) {
      log.error('config edit rejected; keeping the last good config', {
        path: state.path,
        errors: state.errors,
      });
      return;
    }
    log.info('config reloaded', { path: state.path });
  }, signal);
}
