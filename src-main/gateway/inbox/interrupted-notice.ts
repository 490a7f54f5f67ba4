// Enough of the message for its sender to recognise it.
const QUOTE_LENGTH = 80;

/**
 * What a sender is told when their message's turn was cut short by crashes twice and is not tried
 * a third time: which message, and that they may send it again.
 */
export function interruptedNotice(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const quote =
    oneLine.length > QUOTE_LENGTH ? `${oneLine.slice(0, QUOTE_LENGTH - 1).trimEnd()}…` : oneLine;
  return `Sorry, I was interrupted twice while answering your message “${quote}” and gave up on it. Please send it again if you still need an answer.`;
}
