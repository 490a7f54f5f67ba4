import type { Config } from '../../../src-shared/config/schema.js';
import type { InboundProvider, MessagingProvider } from '../../../src-shared/domain/providers.js';
import type { ProviderFactory } from './provider-runtime.js';
import { splitMessage } from './telegram/split-message.js';
import { createTelegramProvider } from './telegram/telegram-provider.js';
import { createWhatsAppProvider, whatsappAutoStart } from './whatsapp/whatsapp-provider.js';

/** Every provider this build can run. */
export const providerFactories: Partial<Record<MessagingProvider, ProviderFactory>> = {
  telegram: createTelegramProvider,
  whatsapp: createWhatsAppProvider,
};

/** Whether a provider starts with the gateway (explicit starts by the owner skip this). Absent: always. */
export type AutoStartRule = (config: Config, stateDir: string) => boolean;

/** Providers that start with the gateway only under a condition: WhatsApp only when enabled or linked. */
export const providerAutoStart: Partial<Record<MessagingProvider, AutoStartRule>> = {
  whatsapp: whatsappAutoStart,
};

/**
 * The parts a provider accepts a text in, each queued and sent as its own message, so a part
 * already sent is never sent again when a later one must be retried: Telegram's 4,096 characters
 * (cut where a reader expects, code blocks kept whole); whole elsewhere.
 */
export function splitOutbound(provider: InboundProvider, text: string): string[] {
  return provider === 'telegram' ? splitMessage(text) : [text];
}
