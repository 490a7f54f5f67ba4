import type { ModelRequest, ModelTurn, ModelUsage } from './model-types.js';

// About four characters a token for English text and code; a rough count still makes a budget bind.
const CHARS_PER_TOKEN = 4;

/**
 * A stand-in for the usage a server did not report (some OpenAI-compatible servers send none):
 * the characters sent and received, at about four a token. Without it, a budget would never
 * bind on such a server.
 */
export function estimateUsage(request: ModelRequest, turn: ModelTurn): ModelUsage {
  const sent = request.system.length + JSON.stringify(request.messages).length;
  const tools = JSON.stringify(request.tools).length;
  const received = turn.text.length + JSON.stringify(turn.toolCalls).length;
  return {
    inputTokens: Math.ceil((sent + tools) / CHARS_PER_TOKEN),
    outputTokens: Math.ceil(received / CHARS_PER_TOKEN),
  };
}
