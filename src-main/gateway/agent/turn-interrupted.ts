/**
 * Thrown out of a turn the gateway cut short because it is stopping: the turn sends nothing (no
 * "could not get an answer" for a stop), and its inbox message waits for the next start.
 */
export class TurnInterrupted extends Error {
  constructor() {
    super('the gateway stopped while this message was being answered');
    this.name = 'TurnInterrupted';
  }
}
