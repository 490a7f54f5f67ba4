import {
  IDLE_IMAGE_BUILD,
  buildStepOf,
  type ImageBuildState,
} from '../../src-shared/domain/image-build.js';
import { AppError } from '../../src-shared/domain/app-error.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

/** How a build ended, as the doctor's build reports it. */
export interface ImageBuildResult {
  kind: 'not-needed' | 'built' | 'failed';
  message: string;
}

/**
 * Builds the configured sandbox image when it is missing, passing each line of progress; the
 * host's composition root provides it (the doctor's build, which the supervisor never imports).
 */
export type ImageBuilder = (onProgress: (line: string) => void) => Promise<ImageBuildResult>;

/** A progress line longer than this is cut: it is shown beside a bar, not read as a log. */
const MAX_LINE = 300;

/**
 * The one sandbox image build a supervisor runs for the setup page: started by a request, its
 * progress (step n of m, the current line) pushed as `imagebuild:changed` to every window. It
 * belongs to the supervisor, not to the page that asked: a reload finds it still running, and a
 * second request while it runs joins it instead of starting another.
 */
export class ImageBuildAdmin {
  private current: ImageBuildState = IDLE_IMAGE_BUILD;

  constructor(
    private readonly builder: ImageBuilder | undefined,
    /** The image the config names now (`agent.sandbox.docker.image`). */
    private readonly image: () => string,
    private readonly emit: (state: ImageBuildState) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The build running now, or how the last one ended (idle before any). */
  state(): ImageBuildState {
    return this.current;
  }

  /** Starts the build, or answers with the one already running. */
  start(): ImageBuildState {
    if (!this.builder) {
      throw new AppError(
        'UNAVAILABLE',
        'this supervisor was started without the image build; run `clawdbot doctor --fix`',
      );
    }
    if (this.current.phase === 'running') return this.current;
    this.update({
      ...IDLE_IMAGE_BUILD,
      phase: 'running',
      image: this.image(),
      startedAt: this.now(),
    });
    void this.builder((line) => this.progress(line)).then(
      (result) => this.finish(result),
      (error: unknown) => this.finish({ kind: 'failed', message: describeError(error) }),
    );
    return this.current;
  }

  private progress(raw: string): void {
    const line = raw.trim().slice(0, MAX_LINE);
    if (!line || this.current.phase !== 'running') return;
    const step = buildStepOf(line);
    this.update({ ...this.current, ...step, line });
  }

  private finish(result: ImageBuildResult): void {
    const failed = result.kind === 'failed';
    this.update({
      ...this.current,
      phase: failed ? 'failed' : 'done',
      // A finished build has done every step it had (an image already there had none to do).
      step: failed ? this.current.step : this.current.steps,
      line: result.message,
      finishedAt: this.now(),
      error: failed ? result.message : null,
    });
  }

  private update(next: ImageBuildState): void {
    this.current = next;
    this.emit(next);
  }
}
