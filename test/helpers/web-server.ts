import { silentLogger } from '../../src-main/logging/logger.js';
import { EventHub } from '../../src-main/supervisor/event-hub.js';
import { createDispatch, type ContractHandlers } from '../../src-main/supervisor/ipc-router.js';
import {
  startWebServer,
  type WebServer,
  type WebServerOptions,
} from '../../src-main/web/web-server.js';

/**
 * Web mode's server on a free loopback port over `rendererDir`: no contract call answered, no
 * event, nothing logged, unless `options` says otherwise.
 */
export function startLoopbackWebServer(
  rendererDir: string,
  options: Partial<WebServerOptions> = {},
): Promise<WebServer> {
  return startWebServer({
    host: '127.0.0.1',
    port: 0,
    rendererDir,
    dispatch: createDispatch({} as ContractHandlers),
    events: new EventHub(),
    log: silentLogger,
    ...options,
  });
}
