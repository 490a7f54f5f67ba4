import { describe, expect, it } from 'vitest';
import { EndFollower, type ScrollBox } from '../../src-renderer/state/end-follower.js';

interface FakeList extends ScrollBox {
  scrollHeight: number;
  clientHeight: number;
  scrollTo(top: number): void;
}

/** A list's scroll box as the browser keeps it: scrollTop clamped to what can be scrolled. */
function box(scrollHeight: number, clientHeight: number): FakeList {
  const b = {
    scrollHeight,
    clientHeight,
    top: 0,
    get scrollTop() {
      return b.top;
    },
    set scrollTop(top: number) {
      b.top = Math.max(0, Math.min(top, b.scrollHeight - b.clientHeight));
    },
    scrollTo(top: number) {
      b.scrollTop = top;
    },
  };
  return b;
}

describe('EndFollower', () => {
  it('keeps following when a line arrives before the scroll event of the last jump to the end', () => {
    const list = box(1000, 400);
    const follower = new EndFollower();
    follower.keepInView(list); // a line arrived: jump to the end (600)
    list.scrollHeight = 1100; // the next line is added before the browser reports that jump
    follower.onScroll(list); // the jump's scroll event, read against the taller list
    expect(follower.following).toBe(true);
    follower.keepInView(list);
    expect(list.scrollTop).toBe(700);
  });

  it('stops following when the owner scrolls back, and leaves them where they are', () => {
    const list = box(1000, 400);
    const follower = new EndFollower();
    follower.keepInView(list);
    list.scrollTo(200);
    follower.onScroll(list);
    expect(follower.following).toBe(false);
    list.scrollHeight = 1100;
    follower.keepInView(list);
    expect(list.scrollTop).toBe(200);
  });

  it('follows again once the owner scrolls back to the end', () => {
    const list = box(1000, 400);
    const follower = new EndFollower();
    follower.keepInView(list);
    list.scrollTo(100);
    follower.onScroll(list);
    expect(follower.following).toBe(false);
    list.scrollTo(600);
    follower.onScroll(list);
    expect(follower.following).toBe(true);
  });

  it('keeps the end in view when the window, so the list, gets smaller', () => {
    const list = box(1000, 400);
    const follower = new EndFollower();
    follower.keepInView(list);
    list.clientHeight = 250; // the window shrank; the browser keeps scrollTop at 600
    follower.onScroll(list);
    follower.keepInView(list); // the resize observer's call
    expect(list.scrollTop).toBe(750);
  });
});
