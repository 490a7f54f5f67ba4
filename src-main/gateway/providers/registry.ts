import type { Config } from '../../../src-shared/config/schema.js';
import type { MessagingProvider } from '../../../src-shared/domain/providers.js';
import type { ProviderFactory } from './provider-runtime.js';
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
