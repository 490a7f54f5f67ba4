import { spawn } from 'node:child_process';
import { findExecutable } from '../process/find-executable.js';
import { hasDisplay } from './desktop-check.js';

/** The command that opens an address in the desktop's browser, or null where there is none. */
export function browserOpener(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
): { file: string; args: (url: string) => string[] } | null {
  if (!hasDisplay(env, platform)) return null;
  if (platform === 'darwin') return { file: 'open', args: (url) => [url] };
  // `start`'s first quoted argument is a window title; the address has no shell characters.
  if (platform === 'win32') return { file: 'cmd', args: (url) => ['/c', 'start', '""', url] };
  const xdgOpen = findExecutable('xdg-open', env);
  return xdgOpen ? { file: xdgOpen, args: (url) => [url] } : null;
}

/**
 * Opens `url` in the desktop's browser, without waiting for it; false where there is no
 * desktop to open it on. Give it a one-time address, never one with the token: a browser's
 * command line is readable by every local user for as long as it runs.
 */
export function openInBrowser(
  url: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): boolean {
  const opener = browserOpener(env, platform);
  if (!opener) return false;
  const child = spawn(opener.file, opener.args(url), { detached: true, stdio: 'ignore' });
  // A browser that cannot start is not worth a crash: the address is printed anyway.
  child.on('error', () => undefined);
  child.unref();
  return true;
}
