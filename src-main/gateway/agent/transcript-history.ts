import { isMissedMessage, type TranscriptEvent } from '../../../src-shared/domain/transcript.js';
import type { ModelMessage, ToolCall } from './model/model-types.js';
import { wrapUntrusted } from './system-prompt.js';

/** The inbound event's data: whether its text is someone else's (wrapped for the model). */
export interface InboundEventData {
  senderId: string;
  untrusted: boolean;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The text a model sees for an inbound event. */
export function inboundModelText(event: Pick<TranscriptEvent, 'text' | 'actor' | 'data'>): string {
  // An inline command (`/elevated on <text>`) is stored as sent; the model gets the rest.
  const modelText = event.data?.['modelText'];
  const text = typeof modelText === 'string' ? modelText : event.text;
  return event.data?.['untrusted'] === true ? wrapUntrusted(text, event.actor) : text;
}

/**
 * The events an elevated turn may show the model: an inbound message stays only when it came
 * in with the owner's trust or from a sender `mayElevate` accepts, so nobody else's words can
 * steer a command on the host. Keyed on what each inbound event was recorded with (its sender
 * id and trust), never on text: the assistant's own messages, tool calls and results stay, even
 * where they quote others, and an inbound event without a sender id is left out.
 */
export function elevatedTurnEvents(
  events: readonly TranscriptEvent[],
  mayElevate: (senderId: string) => boolean,
): TranscriptEvent[] {
  return events.filter((event) => {
    if (event.kind !== 'inbound' || event.data?.['untrusted'] === false) return true;
    const senderId = str(event.data?.['senderId']);
    return senderId !== '' && mayElevate(senderId);
  });
}

/**
 * Rebuilds the model conversation from stored transcript events: inbound → user (except missed
 * catch-up, which was never answered), assistant text and its tool calls → one assistant
 * message, tool results → tool messages. Errors, access and elevated notes are for people, not
 * the model, and are left out. A tool call whose result was never stored (the gateway died
 * mid-call) gets a result saying so, because both APIs reject a call without one.
 */
export function historyFromEvents(events: readonly TranscriptEvent[]): ModelMessage[] {
  const messages: ModelMessage[] = [];
  let open: { message: Extract<ModelMessage, { role: 'assistant' }>; pending: Set<string> } | null =
    null;
  const closeOpen = (): void => {
    if (!open) return;
    for (const callId of open.pending) {
      const call = open.message.toolCalls.find((c) => c.id === callId);
      messages.push({
        role: 'tool',
        callId,
        name: call?.name ?? 'unknown',
        content: 'the tool call was interrupted; no result',
        isError: true,
      });
    }
    open = null;
  };
  for (const event of events) {
    switch (event.kind) {
      case 'inbound':
        // Missed catch-up was never answered, and is not for the model to answer now.
        if (isMissedMessage(event)) break;
        closeOpen();
        messages.push({ role: 'user', text: inboundModelText(event) });
        break;
      case 'assistant': {
        closeOpen();
        const message = {
          role: 'assistant' as const,
          text: event.text,
          toolCalls: [] as ToolCall[],
        };
        messages.push(message);
        open = { message, pending: new Set() };
        break;
      }
      case 'tool-call': {
        const call: ToolCall = {
          id: str(event.data?.['callId']),
          name: str(event.data?.['tool']),
          args: event.data?.['args'] ?? {},
        };
        // Calls are stored one by one with their results in between; a call after a result
        // starts a new assistant message (both APIs accept call, result, call, result).
        if (!open || messages.at(-1) !== open.message) {
          closeOpen();
          const message = { role: 'assistant' as const, text: '', toolCalls: [] as ToolCall[] };
          messages.push(message);
          open = { message, pending: new Set() };
        }
        open.message.toolCalls.push(call);
        open.pending.add(call.id);
        break;
      }
      case 'tool-result': {
        const callId = str(event.data?.['callId']);
        if (!open?.pending.has(callId)) break;
        open.pending.delete(callId);
        messages.push({
          role: 'tool',
          callId,
          name: str(event.data?.['tool']),
          content: event.text,
          isError: event.data?.['ok'] !== true,
        });
        break;
      }
      default:
        break;
    }
  }
  closeOpen();
  return messages;
}
