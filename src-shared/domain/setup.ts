import { z } from 'zod';
import { MessagingProviderSchema } from './providers.js';

/** The first-run setup's steps, in order. */
export const SETUP_STEPS = ['owner', 'telegram', 'whatsapp', 'model', 'sandbox', 'audit'] as const;
/** One setup step. */
export const SetupStepSchema = z.enum(SETUP_STEPS);
/** One setup step. */
export type SetupStep = z.infer<typeof SetupStepSchema>;

/** The setup flow as it was left: where, what is done, and the owner code in play. */
export const SetupStateSchema = z.object({
  /** True on a fresh state directory (no config file) until setup is finished or skipped. */
  needed: z.boolean(),
  step: SetupStepSchema,
  done: z.array(SetupStepSchema),
  finished: z.boolean(),
  configPath: z.string(),
  ownerCode: z
    .object({
      code: z.string(),
      expiresAt: z.number(),
      claimedBy: z.object({ provider: MessagingProviderSchema, senderId: z.string() }).nullable(),
    })
    .nullable(),
  /** Who `owner.<provider>` lists now. */
  owners: z.record(MessagingProviderSchema, z.array(z.string())),
  telegram: z.object({
    /** The environment variable that holds the token whatever the config says. */
    envVar: z.string(),
    fromEnv: z.boolean(),
    /** `telegram.tokenFile`, when the config names one. */
    tokenFile: z.string().nullable(),
    /**
     * Where a token pasted here is kept: the OS keychain (desktop app) or a private file under
     * the state directory (web mode).
     */
    storage: z.enum(['keychain', 'file']),
    /** Whether the keychain holds a token now. */
    inKeychain: z.boolean(),
  }),
});
/** The setup flow as it was left. */
export type SetupState = z.infer<typeof SetupStateSchema>;

/** A Telegram bot token as @BotFather gives it: `<bot id>:<secret>`. */
export const TelegramTokenSchema = z
  .string()
  .trim()
  .regex(
    /^\d{3,20}:[A-Za-z0-9_-]{20,100}$/,
    'a bot token looks like 123456789:AA… (from @BotFather)',
  );

/** The bot a token belongs to, as `getMe` answered. */
export const TelegramBotSchema = z.object({ id: z.number(), username: z.string() });
/** The bot a token belongs to. */
export type TelegramBot = z.infer<typeof TelegramBotSchema>;
