import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { killSwitchEngagedMessage } from '../../../src-shared/domain/kill-switch.js';
import { gatewayEntryPath, rendererDirPath } from '../../paths.js';
import { isLoopbackHost } from '../../../src-shared/net/loopback.js';
import type { CliContext } from '../cli-context.js';
import { containerMarker } from '../../process/container-environment.js';
import { webSettingsFromEnv, type WebEnvSettings } from '../../web/web-env.js';
import { CliError } from '../cli-error.js';
import { describeError } from '../../../src-shared/errors/describe-error.js';

/** The web UI's default port. */
export const DEFAULT_WEB_PORT = 18790;

/** Parses `--port`: a whole number from 0 (any free port) to 65535. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('expected a port number from 0 to 65535');
  }
  return port;
}

/** How to run the headless supervisor. */
export interface SuperviseOptions {
  web: boolean;
  host: string;
  port: number;
  /** Called with a one-time sign-in address once the web UI listens (to open a browser). */
  onWebLaunch?: (launchUrl: string) => void;
}

/** How the user asks for another port: through npm's `--` when `npm start` ran us. */
function portOption(port: number): string {
  const other = port === 0 ? DEFAULT_WEB_PORT : port === 65535 ? port - 1 : port + 1;
  return process.env['npm_lifecycle_event'] === 'start'
    ? `npm start -- --port ${other}`
    : `--port ${other}`;
}

/** A web server that could not listen, in one actionable line; other failures pass through. */
function listenFailure(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE') {
    return new CliError(
      `port ${port} on ${host} is in use, by another Clawdbot (\`clawdbot web-url\` prints its address) or another program: choose another port with ${portOption(port)}`,
    );
  }
  if (code === 'EACCES') {
    return new CliError(
      `port ${port} on ${host} needs privileges this user lacks: choose a port above 1023 with ${portOption(port)}`,
    );
  }
  if (code === 'EADDRNOTAVAIL') {
    return new CliError(`${host} is not an address of this machine: pass one that is with --host`);
  }
  return error;
}

/**
 * Runs the supervisor headless until SIGINT or SIGTERM: the gateway, the control socket for the
 * CLI and, with `web`, the UI over HTTP/WebSocket (its address printed on stdout).
 */
export async function runSupervisor(context: CliContext, options: SuperviseOptions): Promise<void> {
  // In a container, 0.0.0.0 is the container's own address: what reaches it is decided by
  // the published ports, which the audit reports (from CLAWDBOT_WEB_PUBLISH).
  if (options.web && !isLoopbackHost(options.host) && containerMarker() === null) {
    process.stderr.write(
      `WARNING: the web UI is bound to ${options.host}, beyond this machine's loopback. Anyone who can reach it and learns the token controls the kill switch and the gateway.\n`,
    );
  }
  // Loaded on use, so `clawdbot --help` and `status` stay quick.
  const [{ startHeadlessSupervisor }, { startProcessLogging }] = await Promise.all([
    import('../../web/headless.js'),
    import('../../logging/process-logging.js'),
  ]);
  let webEnv: WebEnvSettings;
  try {
    webEnv = webSettingsFromEnv(process.env);
  } catch (error) {
    throw new CliError(describeError(error));
  }
  // A container's logs are what its engine collects from stdout (CLAWDBOT_LOG_STDOUT=1).
  const toStdout = process.env['CLAWDBOT_LOG_STDOUT'] === '1';
  const out = toStdout ? process.stdout : process.stderr;
  const { stateDir } = context;
  // One config service for the process: logging and the supervisor follow the same config.
  const config = context.followConfig();
  const logging = startProcessLogging({
    process: 'supervisor',
    stateDir,
    follow: true,
    config,
    ...(toStdout ? { write: (line: string) => process.stdout.write(`${line}\n`) } : {}),
  });
  const running = await startHeadlessSupervisor({
    stateDir,
    config,
    gatewayEntry: gatewayEntryPath(),
    web: options.web
      ? {
          host: options.host,
          port: options.port,
          rendererDir: rendererDirPath(),
          token: webEnv.token,
          origins: webEnv.origins,
        }
      : null,
    onGatewayOutput: (_stream, text) => out.write(text),
    log: logging.log,
  }).catch((error: unknown) => {
    logging.close();
    throw listenFailure(error, options.host, options.port);
  });
  // The web token is a secret the config never saw.
  const webToken = running.webUrl ? new URL(running.webUrl).hash.replace('#token=', '') : '';
  logging.addSecrets([webToken]);
  logging.log.info('supervisor started', { pid: process.pid, web: running.webPort !== null });
  if (running.webUrl) printWebUrl(running.webUrl, webEnv, toStdout);
  if (running.webLaunchUrl) options.onWebLaunch?.(running.webLaunchUrl());
  const { killSwitch } = running.supervisor.snapshot();
  if (killSwitch.engaged)
    process.stdout.write(`gateway not started: ${killSwitchEngagedMessage(killSwitch)}\n`);
  await new Promise<void>((resolve) => {
    const shutdown = (): void => {
      void running.close().then(resolve);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
}

/** `clawdbot supervise [--web] [--host H] [--port P]`: the supervisor without Electron. */
export function registerSuperviseCommand(program: Command, context: CliContext): void {
  program
    .command('supervise')
    .description('run the supervisor headless (with --web, serve the UI in a browser)')
    .option('--web', 'serve the UI and the contract over HTTP/WebSocket')
    .option(
      '--host <host>',
      'address to bind the web UI (loopback unless you mean otherwise)',
      '127.0.0.1',
    )
    .option(
      '--port <port>',
      'port for the web UI (0 picks a free one)',
      parsePort,
      DEFAULT_WEB_PORT,
    )
    .action((options: { web?: boolean; host: string; port: number }) =>
      runSupervisor(context, { web: options.web === true, host: options.host, port: options.port }),
    );
}

/**
 * Says where the web UI is: at the first configured origin (the address the browser uses, e.g.
 * a container's published port) or where it listens. A generated token is in the URL, as the
 * only way to learn it; a token the owner set (CLAWDBOT_WEB_TOKEN) is theirs already and is not
 * printed. With CLAWDBOT_LOG_STDOUT=1 the line is a JSON line like every other.
 */
function printWebUrl(listening: string, webEnv: WebEnvSettings, json: boolean): void {
  const url = new URL(listening);
  const base = webEnv.origins[0] ?? url.origin;
  const shown = webEnv.token ? `${base}/#token=<CLAWDBOT_WEB_TOKEN>` : `${base}/${url.hash}`;
  if (!json) {
    process.stdout.write(`Web UI: ${shown}\n`);
    return;
  }
  const line = {
    time: new Date().toISOString(),
    level: 'info',
    process: 'supervisor',
    scope: 'web',
    msg: 'web UI',
    url: shown,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
