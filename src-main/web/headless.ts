import { describeError } from '../../src-shared/errors/describe-error.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { startWebServer, type WebServer } from './web-server.js';
import { doctorForHost, imageBuildForHost } from '../doctor/run-doctor.js';
import { createNodeGatewayLauncher } from '../supervisor/node-gateway-launcher.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { SupervisorOptions } from '../supervisor/supervisor-options.js';
import { startSupervisorHost } from '../supervisor/supervisor-host.js';
import type { ImageBuilder } from '../supervisor/image-build-admin.js';

/** What `clawdbot supervise` runs. */
export interface HeadlessOptions extends Omit<SupervisorOptions, 'launch' | 'log'> {
  gatewayEntry: string;
  gatewayExecArgv?: string[];
  web: {
    host: string;
    port: number;
    rendererDir: string;
    token?: string;
    origins?: readonly string[];
  } | null;
  onGatewayOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  /**
   * The setup page's sandbox image build (default: `clawdbot doctor --fix`'s, from
   * assets/sandbox); a test gives the same build a smaller recipe.
   */
  imageBuild?: ImageBuilder;
  /** The supervisor's log (bad frames, failed sign-ins, its events); default: JSON lines on stderr. */
  log?: Logger;
}

/** A running headless supervisor. */
export interface HeadlessSupervisor {
  supervisor: Supervisor;
  webUrl: string | null;
  webPort: number | null;
  /** A one-time address for opening a browser on the web UI (null without web mode). */
  webLaunchUrl: (() => string) | null;
  controlSocket: string;
  close(): Promise<void>;
}

/**
 * The supervisor in plain Node: the one supervisor host, with the gateway forked by
 * `child_process.fork` and, with web mode, the contract served over WebSocket with the UI.
 */
export async function startHeadlessSupervisor(
  options: HeadlessOptions,
): Promise<HeadlessSupervisor> {
  const {
    gatewayEntry,
    gatewayExecArgv,
    web: webOptions,
    onGatewayOutput,
    imageBuild,
    ...rest
  } = options;
  const log = options.log ?? createLogger({ process: 'supervisor' });
  // Filled by the web transport when the host starts it.
  const webServers: WebServer[] = [];
  // Known once the web server listens; `clawdbot web-url` asks for it.
  const webUrl = (): string | null => webServers[0]?.url ?? null;
  const host = await startSupervisorHost({
    ...rest,
    log,
    launch: createNodeGatewayLauncher({
      entry: gatewayEntry,
      execArgv: gatewayExecArgv,
      onOutput: onGatewayOutput,
    }),
    // The audit flags a web mode bound beyond loopback, so it is told where this one binds.
    security: { webHost: webOptions?.host ?? null, webUrl },
    doctor: doctorForHost(rest.stateDir, rest.env),
    imageBuild: imageBuild ?? imageBuildForHost(rest.stateDir, rest.env),
    transports: webOptions
      ? [
          async ({ dispatch, events }) => {
            const server = await startWebServer({
              ...webOptions,
              dispatch,
              events,
              log: log.child('web'),
            });
            webServers.push(server);
            return server;
          },
        ]
      : [],
    onStartFailed: (error) =>
      onGatewayOutput?.('stderr', `could not start the gateway: ${describeError(error)}\n`),
  });
  const web = webServers[0];
  return {
    supervisor: host.supervisor,
    webUrl: webUrl(),
    webPort: web?.port ?? null,
    webLaunchUrl: web ? () => web.launchUrl() : null,
    controlSocket: host.controlSocket,
    close: () => host.close(),
  };
}
