import type { AgentStep } from './agent-loop.js';

/**
 * Records a turn's steps as they come, except the model's text, which is held until the next
 * step: the last one is the answer, recorded in the same transaction as the reply is queued, so
 * a crash never leaves an answer in the transcript that was never sent (a turn tried again would
 * see it as said).
 */
export class HeldSteps {
  private heldText: AgentStep | null = null;

  constructor(private readonly recordStep: (step: AgentStep) => void) {}

  /** Records what was held, then holds this step if it is the model's text, else records it. */
  step(step: AgentStep): void {
    this.recordHeld();
    if (step.kind === 'assistant') this.heldText = step;
    else this.recordStep(step);
  }

  /** Records the text held, if any. */
  recordHeld(): void {
    if (this.heldText) this.recordStep(this.heldText);
    this.heldText = null;
  }
}
