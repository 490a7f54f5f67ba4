import { defaultConfig } from '../../../../src-shared/config/schema.js';
import { describeError } from '../../../../src-shared/errors/describe-error.js';
import type { Logger } from '../../../logging/logger.js';
import type { ProviderHost, ProviderReport, ProviderRuntime } from '../provider-runtime.js';
import { isWhatsAppLinked } from './auth-state.js';
import {
  createWhatsAppProviderFactory,
  type WhatsAppProviderOptions,
} from './whatsapp-provider.js';

/** What `clawdbot whatsapp login` needs. */
export interface WhatsAppLoginOptions extends WhatsAppProviderOptions {
  stateDir: string;
  log: Logger;
  /** A QR code to show; called again each time WhatsApp rotates it (1, 2, …). */
  onQr: (qr: string, rotation: number) => void | Promise<void>;
  /** The connection dropped and is being retried (the reason, for the terminal). */
  onRetry?: (reason: string) => void;
  /** Aborting (Ctrl-C) stops the login. */
  signal?: AbortSignal;
}

/** How a login ended. */
export type WhatsAppLoginResult =
  | { outcome: 'linked'; account: string | null; alreadyLinked: boolean }
  | { outcome: 'logged-out' | 'error'; reason: string }
  | { outcome: 'cancelled' };

/**
 * Links a device without a gateway: runs the real WhatsApp provider on the state directory until
 * it connects (after the QR code is scanned, or at once when already linked), then closes it,
 * leaving the link saved for the gateway. Incoming messages are not answered meanwhile.
 */
export function runWhatsAppLogin(options: WhatsAppLoginOptions): Promise<WhatsAppLoginResult> {
  const { stateDir, log, onQr, onRetry, signal, ...providerOptions } = options;
  const factory = createWhatsAppProviderFactory(providerOptions);
  const alreadyLinked = isWhatsAppLinked(stateDir);
  return new Promise((resolve) => {
    let runtime: ProviderRuntime | null = null;
    let finished = false;
    let relinked = false;
    let rotation = 0;
    let shown: Promise<void> = Promise.resolve();

    const finish = (result: WhatsAppLoginResult): void => {
      if (finished) return;
      finished = true;
      signal?.removeEventListener('abort', cancel);
      // Stopping waits for credential writes in flight, so the saved link is complete.
      void Promise.resolve(runtime?.stop())
        .then(() => shown)
        .finally(() => resolve(result));
    };
    const cancel = (): void => finish({ outcome: 'cancelled' });

    const report = (update: ProviderReport): void => {
      if (finished) return;
      switch (update.state) {
        case 'qr':
          if (update.qr) {
            const qr = update.qr;
            rotation += 1;
            const n = rotation;
            shown = shown
              .then(() => onQr(qr, n))
              .catch((error: unknown) =>
                // The next rotation shows a fresh code: the login goes on, the failure is logged.
                log.warn('could not show a whatsapp QR code', {
                  rotation: n,
                  error: describeError(error),
                }),
              );
          }
          return;
        case 'connected':
          finish({
            outcome: 'linked',
            account: update.account ?? null,
            alreadyLinked: alreadyLinked && !relinked,
          });
          return;
        case 'connecting':
          if (update.lastError) onRetry?.(update.lastError);
          return;
        case 'logged-out':
          // A saved link the phone has since removed: it is cleared now, so start a new one —
          // linking is what the user asked for.
          if (alreadyLinked && rotation === 0 && !relinked) {
            relinked = true;
            onRetry?.('the saved link is no longer valid; starting a new one');
            start();
            return;
          }
          finish({ outcome: 'logged-out', reason: update.lastError ?? 'WhatsApp logged out' });
          return;
        case 'error':
          finish({ outcome: 'error', reason: update.lastError ?? 'WhatsApp stopped' });
          return;
        case 'disabled':
        case 'stopped':
          return;
      }
    };
    const host: ProviderHost = { inbound: () => Promise.resolve(), report, log, stateDir };

    const start = (): void => {
      const built = factory(defaultConfig, host);
      if ('disabled' in built) {
        finish({ outcome: 'error', reason: built.disabled });
        return;
      }
      runtime = built;
      void built.start();
    };

    if (signal?.aborted) {
      resolve({ outcome: 'cancelled' });
      return;
    }
    signal?.addEventListener('abort', cancel);
    start();
  });
}
