// Kept free of zod: the page's first chunk reads these (the console's calls live in the app
// store), and the dashboard keeps zod out of that chunk so it paints sooner.

/** Every way a tool call can end; `ToolCallStatusSchema` (transcript.ts) is built from it. */
export const TOOL_CALL_STATUSES = [
  'ok',
  'error',
  'refused',
  'denied',
  'killed',
  'interrupted',
] as const;

/** How a tool call ended. */
export type ToolCallStatus = (typeof TOOL_CALL_STATUSES)[number];

/** Whether `value` is a recorded tool call status (an unknown or missing one is not). */
export function isToolCallStatus(value: unknown): value is ToolCallStatus {
  return (TOOL_CALL_STATUSES as readonly unknown[]).includes(value);
}

/** What the model is told when a command does not run, whatever the reason. */
export const DENIED_TEXT = 'the owner denied this command';
