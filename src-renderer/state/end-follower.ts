/** The parts of a scrolling element the follower reads and moves. */
export interface ScrollBox {
  scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
}

const atEnd = (box: ScrollBox): boolean => box.scrollHeight - box.scrollTop - box.clientHeight < 2;

/**
 * Keeps a list's newest line in view while the owner has not scrolled back to read.
 *
 * Only the owner's own scrolling stops it: a scroll that moves up from where the follower last
 * put the list. Judging "at the end?" on every scroll event is not enough, because the browser
 * reports a jump to the end a frame later, and by then the next line (or a smaller window) may
 * have moved the end: the jump's own event would then read as the owner scrolling away, and the
 * list would stop following for good.
 */
export class EndFollower {
  #following = true;
  /** Where the follower last put the list; a scroll above it is the owner's. */
  #placedAt = 0;

  get following(): boolean {
    return this.#following;
  }

  /** After lines arrive or the list changes size: show the end again, if following. */
  keepInView(box: ScrollBox): void {
    if (!this.#following) return;
    box.scrollTop = box.scrollHeight;
    this.#placedAt = box.scrollTop; // as the browser clamped it
  }

  /** On the list's scroll event. */
  onScroll(box: ScrollBox): void {
    if (atEnd(box)) this.#following = true;
    else if (box.scrollTop < this.#placedAt - 1) this.#following = false;
    this.#placedAt = box.scrollTop;
  }
}
