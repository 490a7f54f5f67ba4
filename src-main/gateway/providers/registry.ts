import type { MessagingProvider } from '../../../src-shared/domain/providers.js';
import type { ProviderFactory } from './provider-runtime.js';

/** Every provider this build can run. */
export const providerFactories: Partial<Record<MessagingProvider, ProviderFactory>> = {};
