import { dirname } from 'node:path';
import { isLoopbackHost } from '../../src-shared/net/loopback.js';
import { configCheck, type Check } from './finding-helpers.js';

/** An invalid config file: the running processes keep their last good config, but not for long. */
export const checkConfigValid: Check = (input) => {
  if (input.config.ok) return [];
  return [
    {
      id: 'config.invalid',
      severity: 'high',
      title: 'the config file is invalid',
      meaning: `${input.configPath} was rejected (${input.config.errors.join('; ')}), so the gateway refuses to start from it and nothing in it could be audited.`,
      fix: 'Correct the errors listed (`clawdbot config validate` shows them with their key paths).',
      fixable: false,
      path: input.configPath,
    },
  ];
};

/** `logging.redactSensitive: false`: tokens and keys land in log files in clear. */
export const checkLogRedaction: Check = configCheck((config) =>
  config.logging.redactSensitive
    ? []
    : [
        {
          id: 'logging.redaction-off',
          severity: 'medium',
          title: 'log redaction is off',
          meaning:
            'Bot tokens, API keys and configured secrets are written to the log files as they are, and logs get shared when asking for help.',
          fix: 'Set logging.redactSensitive to true (the default), or remove the key.',
          fixable: true,
          path: 'logging.redactSensitive',
        },
      ],
);

/**
 * Logs not where configured: the directory was refused (in the shared /tmp, another user may
 * have created it first, to read or swap our logs), so they go under the state directory, or
 * (worse) nowhere at all. Never an audit trail missing unnoticed.
 */
export const checkLogDestination: Check = (input) => {
  const { fallback, error, pattern } = input.logs;
  if (!fallback) return [];
  const configuredDir = dirname(fallback.configured);
  const fix = `Find out who made ${configuredDir} and why, remove it (as its owner, or root), or set logging.file to a file in a directory only you can write, e.g. ${pattern}.`;
  if (error) {
    return [
      {
        id: 'logging.none',
        severity: 'high',
        title: 'no log is being written',
        meaning: `${fallback.reason}, and the fallback failed too (${error}): nothing the bot does is recorded.`,
        fix,
        fixable: false,
        path: configuredDir,
      },
    ];
  }
  return [
    {
      id: 'logging.fallback',
      severity: 'medium',
      title: `logs go to ${dirname(pattern)}, not ${configuredDir}`,
      meaning: `${fallback.reason}, so it is not used; the logs are kept under the state directory instead, where \`clawdbot logs\` and the Logs view read them.`,
      fix,
      fixable: false,
      path: configuredDir,
    },
  ];
};

/** A web mode listening beyond loopback: the token is all that stands between the network and the kill switch. */
export const checkWebBind: Check = (input) => {
  if (input.webHost === null || isLoopbackHost(input.webHost)) return [];
  // In a container the bind address is the container's own: its published ports decide who
  // reaches it, and checks-container-self.ts reports those.
  if (input.container) return [];
  return [
    {
      id: 'web.bind-public',
      severity: 'high',
      title: `the web UI listens on ${input.webHost}, beyond this machine`,
      meaning:
        'Anyone who can reach that address and learns the token (it travels in clear over plain HTTP) controls the gateway, the allowlists and the kill switch.',
      fix: 'Restart with `clawdbot supervise --web` without --host (it binds 127.0.0.1), and reach it remotely through an SSH tunnel.',
      fixable: false,
      path: 'supervise --host',
    },
  ];
};

/** Linux `safeStorage` on `basic_text`: "encrypted" secrets use a hard-coded key. */
export const checkSafeStorage: Check = (input) => {
  if (input.safeStorageBackend !== 'basic_text') return [];
  return [
    {
      id: 'safe-storage.plain-text',
      severity: 'medium',
      title: 'stored secrets are only obfuscated',
      meaning:
        "No keyring (GNOME Keyring / KWallet) was found, so Electron's safeStorage encrypts the model key and the Telegram bot token with a fixed, public key: anyone who can read the state directory can read them.",
      fix: 'Install and unlock a Secret Service keyring (gnome-keyring or KWallet), then restart the app and re-enter the model key and the bot token.',
      fixable: false,
      path: 'safeStorage',
    },
  ];
};
