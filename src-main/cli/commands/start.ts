import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { appRootPath } from '../../paths.js';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import type { ElectronInstall } from '../../electron-install.js';
import { checkDesktop } from '../desktop-check.js';
import { openInBrowser } from '../open-browser.js';
import { DEFAULT_WEB_PORT, parsePort, runSupervisor } from './supervise.js';

/** Runs the desktop app until it quits; its exit code becomes ours. */
function runDesktop(
  electron: ElectronInstall,
  appRoot: string,
  parentEnv: NodeJS.ProcessEnv,
): Promise<void> {
  const env = { ...parentEnv };
  // Set, it would make Electron a plain Node and the app would never open a window.
  delete env['ELECTRON_RUN_AS_NODE'];
  const child = spawn(electron.binary, [appRoot], { stdio: 'inherit', env });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve, reject) => {
    child.on('error', (error) =>
      reject(new CliError(`the desktop app could not start: ${error.message}`)),
    );
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      if (code === 0 || signal === 'SIGINT' || signal === 'SIGTERM') resolve();
      else
        reject(new CliError(`the desktop app exited with ${signal ?? `code ${code}`}`, code ?? 1));
    });
  });
}

/**
 * `clawdbot start`: what `npm start` runs from a checkout. The desktop app where Electron runs
 * here; elsewhere (no Electron binary, no display, no Electron build of the native module) one
 * sentence saying why, then the same supervisor headless with the UI in the browser.
 */
export function registerStartCommand(program: Command, context: CliContext): void {
  program
    .command('start')
    .description(
      'what `npm start` runs: the desktop app where Electron can run, else the supervisor with the web UI (opened in your browser when there is a desktop)',
    )
    .option('--web', 'serve the UI in the browser even where the desktop app could run')
    .option('--host <host>', 'address to bind the web UI', '127.0.0.1')
    .option(
      '--port <port>',
      'port for the web UI (0 picks a free one)',
      parsePort,
      DEFAULT_WEB_PORT,
    )
    .action(async (options: { web?: boolean; host: string; port: number }) => {
      const appRoot = appRootPath();
      if (!options.web) {
        const verdict = checkDesktop({ appRoot, env: context.env, platform: process.platform });
        if (verdict.ok) return runDesktop(verdict.electron, appRoot, context.env);
        process.stdout.write(
          `${verdict.reason}, so Clawdbot runs without the desktop app: the same supervisor, with its UI in your browser.\n`,
        );
      }
      await runSupervisor(context, {
        web: true,
        host: options.host,
        port: options.port,
        onWebLaunch: (launchUrl) => {
          if (openInBrowser(launchUrl, context.env))
            process.stdout.write('Opening it in your browser.\n');
        },
      });
    });
}
