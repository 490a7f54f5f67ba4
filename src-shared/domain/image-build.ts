import { z } from 'zod';

/** Where the one sandbox image build of a supervisor is. */
export const ImageBuildPhaseSchema = z.enum(['idle', 'running', 'done', 'failed']);
/** Where the one sandbox image build of a supervisor is. */
export type ImageBuildPhase = z.infer<typeof ImageBuildPhaseSchema>;

/**
 * The sandbox image build the page started (or none yet), as every window sees it: a reload
 * while it runs finds it still running, with its progress so far.
 */
export const ImageBuildStateSchema = z.object({
  phase: ImageBuildPhaseSchema,
  /** The image being (or last) built, e.g. `clawdbot-sandbox:bookworm`; null before any build. */
  image: z.string().nullable(),
  /** The build's step now (1-based), of `steps`; 0 before its first step. */
  step: z.number().int().nonnegative(),
  /** How many steps the build has, once known (0 until then). */
  steps: z.number().int().nonnegative(),
  /** The last line of the build's output (a package, a layer), for the text beside the bar. */
  line: z.string(),
  /** When the build started (ms since the epoch), null before any build. */
  startedAt: z.number().nullable(),
  /** When it ended, done or failed. */
  finishedAt: z.number().nullable(),
  /** Why it failed, in words (null unless `failed`). */
  error: z.string().nullable(),
});
/** The sandbox image build the page started, as every window sees it. */
export type ImageBuildState = z.infer<typeof ImageBuildStateSchema>;

/** No build yet. */
export const IDLE_IMAGE_BUILD: ImageBuildState = {
  phase: 'idle',
  image: null,
  step: 0,
  steps: 0,
  line: '',
  startedAt: null,
  finishedAt: null,
  error: null,
};

/**
 * The step a line of build output announces, if it does: the offline build's `[2/3] …` and
 * `docker build`'s `Step 2/5 : …`.
 */
export function buildStepOf(line: string): { step: number; steps: number } | null {
  const match = /^\s*(?:\[(\d+)\/(\d+)\]|Step (\d+)\/(\d+) :)/.exec(line);
  if (!match) return null;
  const step = Number(match[1] ?? match[3]);
  const steps = Number(match[2] ?? match[4]);
  return step >= 1 && steps >= step ? { step, steps } : null;
}
