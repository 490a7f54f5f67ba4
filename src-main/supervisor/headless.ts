import { createLogger, type Logger } from '../logging/logger.js';
import { startWebServer } from '../web/web-server.js';
import { startControlServer } from './control-server.js';
import { createContractHandlers } from './contract-handlers.js';
import { createDispatch } from './ipc-router.js';
import { createNodeGatewayLauncher } from './node-gateway-launcher.js';
import { Supervisor, type SupervisorOptions } from './supervisor.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

/** What `clawdbot supervise` runs. */
export interface HeadlessOptions extends Omit<SupervisorOptions, 'launch'> {
  gatewayEntry: string;
  gatewayExecArgv?: string[];
  web: { host: string; port: number; rendererDir: string; token?: string } | null;
  onGatewayOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  /** The supervisor's log (bad frames, failed sign-ins); default: JSON lines on stderr. */
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
 * The supervisor in plain Node: forks the gateway with `child_process.fork`, serves the
 * contract on the control socket for the CLI and, with web mode, over WebSocket with the UI.
 */
export async function startHeadlessSupervisor(
  options: HeadlessOptions,
): Promise<HeadlessSupervisor> {
  const supervisor = Supervisor.open({
    ...options,
    launch: createNodeGatewayLauncher({
      entry: options.gatewayEntry,
      execArgv: options.gatewayExecArgv,
      onOutput: options.onGatewayOutput,
    }),
  });
  // Known once the web server listens; `clawdbot web-url` asks for it.
  let webUrl: string | null = null;
  try {
    const dispatch = createDispatch(
      // The audit flags a web mode bound beyond loopback, so it is told where this one binds.
      createContractHandlers(supervisor, {
        stateDir: options.stateDir,
        env: options.env,
        webHost: options.web?.host ?? null,
        webUrl: () => webUrl,
      }),
    );
    const log = options.log ?? createLogger({ process: 'supervisor' });
    const control = await startControlServer(
      options.stateDir,
      dispatch,
      supervisor.events,
      log.child('control-socket'),
    );
    supervisor.setControlSocket(control.path);
    const web = options.web
      ? await startWebServer({
          ...options.web,
          dispatch,
          events: supervisor.events,
          log: log.child('web'),
        }).catch(async (error: unknown) => {
          // A port in use: the control socket must not outlive the failed start.
          await control.close();
          throw error;
        })
      : null;
    webUrl = web?.url ?? null;
    // Not awaited: the UI and the control socket are up meanwhile, and show the gateway starting.
    void supervisor
      .startIfArmed()
      .catch((error: unknown) =>
        options.onGatewayOutput?.(
          'stderr',
          `could not start the gateway: ${describeError(error)}\n`,
        ),
      );
    return {
      supervisor,
      webUrl,
      webPort: web?.port ?? null,
      webLaunchUrl: web ? () => web.launchUrl() : null,
      controlSocket: control.path,
      close: async () => {
        await web?.close();
        await control.close();
        await supervisor.close();
      },
    };
  } catch (error) {
    await supervisor.close();
    throw error;
  }
}
