import type { ProviderStatus } from '../../src-shared/domain/provider-status.js';
import type { MessagingProvider } from '../../src-shared/domain/providers.js';
import { formatTime } from './format.js';

// Why a provider is usually off when the gateway does not say: what the owner has to set up.
const notSetUp: Record<MessagingProvider, string> = {
  telegram: 'no bot token configured',
  whatsapp: 'no device linked',
};

/**
 * The error that came with the current state (or after it), as opposed to one kept from before
 * a recovery: only that one explains the state. The manager stamps both with the same clock.
 */
export function currentError(status: ProviderStatus): string | null {
  return status.lastError !== null &&
    status.lastErrorAt !== null &&
    status.lastErrorAt >= status.since
    ? status.lastError
    : null;
}

/** A provider's state as one plain sentence, e.g. "Connected as @clawdbot". */
export function providerStateWords(status: ProviderStatus): string {
  switch (status.state) {
    case 'disabled':
      return `Disabled — ${currentError(status) ?? notSetUp[status.provider]}`;
    case 'stopped':
      return 'Stopped';
    case 'connecting':
      return 'Connecting…';
    case 'qr':
      return 'Scan this QR code with WhatsApp (Settings → Linked devices)';
    case 'connected':
      return status.account ? `Connected as ${status.account}` : 'Connected';
    case 'logged-out':
      return 'Logged out — link again';
    case 'error':
      return `Error: ${status.lastError ?? 'unknown'}${
        status.lastErrorAt !== null ? ` (at ${formatTime(status.lastErrorAt)})` : ''
      }`;
    default: {
      const unreachable: never = status.state;
      return unreachable;
    }
  }
}

/** The short badge beside the provider's name. */
export const providerStateBadges: Record<ProviderStatus['state'], string> = {
  disabled: 'Disabled',
  stopped: 'Stopped',
  connecting: 'Connecting',
  qr: 'Waiting for scan',
  connected: 'Connected',
  'logged-out': 'Logged out',
  error: 'Error',
};

/** How a provider is doing, as the status bar and the dashboard colour it (severity only). */
export function providerHealth(status: ProviderStatus): 'ok' | 'warn' | 'bad' | 'off' {
  switch (status.state) {
    case 'connected':
      return 'ok';
    case 'connecting':
    case 'qr':
    case 'stopped':
      return 'warn';
    case 'logged-out':
    case 'error':
      return 'bad';
    case 'disabled':
      return 'off';
    default: {
      const unreachable: never = status.state;
      return unreachable;
    }
  }
}
