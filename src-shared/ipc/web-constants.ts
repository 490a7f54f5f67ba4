// Kept apart from the frame schemas (web-frames.ts): the renderer's first chunk needs these
// numbers to open its socket, and importing them from a module that builds zod schemas would
// put zod into that chunk.

/** The WebSocket close code for a policy violation (RFC 6455): bad or missing token. */
export const WS_POLICY_VIOLATION = 1008;

/**
 * The WebSocket close code (from the application range 4000–4999) for a peer locked out after
 * too many failed sign-ins: even the right token is refused until the lockout ends.
 */
export const WS_LOCKED_OUT = 4429;

/** The WebSocket path the contract is served on. */
export const IPC_WS_PATH = '/ipc';
