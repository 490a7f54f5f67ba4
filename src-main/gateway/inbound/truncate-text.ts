import type { Envelope } from '../../../src-shared/domain/envelope.js';

/** What replaces the cut-off end of a message too long to keep whole. */
export function truncationMarker(removed: number, maxChars: number): string {
  return `\n[… ${removed.toLocaleString('en-US')} more characters cut: messages are limited to ${maxChars.toLocaleString('en-US')}]`;
}

/**
 * An envelope whose text is at most `maxChars` characters (UTF-16 units, never splitting a
 * surrogate pair) plus a marker saying how much was cut; the same envelope when it fits. Applied
 * where an envelope is first validated, so no model, transcript or table ever holds more.
 */
export function truncateInbound(envelope: Envelope, maxChars: number): Envelope {
  const { text } = envelope;
  if (text.length <= maxChars) return envelope;
  let cut = maxChars;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return { ...envelope, text: text.slice(0, cut) + truncationMarker(text.length - cut, maxChars) };
}
