import { z } from 'zod';

/** Where the model's API key comes from. Never the key itself. */
export const ModelKeySourceSchema = z.enum(['env', 'keychain', 'none']);

/** What the UI may know about the model: which one, and whether a key is there. */
export const ModelStatusSchema = z.object({
  /** Null when `agent.model` is not configured. */
  model: z
    .object({
      provider: z.enum(['anthropic', 'openai']),
      name: z.string(),
      baseUrl: z.string().nullable(),
      /** The environment variable the key is read from. */
      keyEnv: z.string(),
    })
    .nullable(),
  keySource: ModelKeySourceSchema,
  /** A custom `baseUrl` (a local server) may need no key at all. */
  keyOptional: z.boolean(),
  keychain: z.object({
    /** The desktop app can store a key encrypted with the OS keychain (`safeStorage`). */
    available: z.boolean(),
    /** Linux: `basic_text` means the "encryption" is a fixed, well-known key. */
    plaintext: z.boolean(),
    stored: z.boolean(),
  }),
});
/** What the UI may know about the model. */
export type ModelStatus = z.infer<typeof ModelStatusSchema>;

/** Longest API key accepted (real ones are far shorter). */
export const MAX_API_KEY_LENGTH = 1000;
