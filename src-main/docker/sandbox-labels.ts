/** The label every Clawdbot sandbox container carries; the kill switch finds them by it. */
export const SANDBOX_LABEL = 'clawdbot.sandbox';
/** The label naming the session a sandbox container belongs to. */
export const SESSION_KEY_LABEL = 'clawdbot.sessionKey';
/** The Docker label filter selecting every Clawdbot sandbox container. */
export const SANDBOX_LABEL_FILTER = `${SANDBOX_LABEL}=1`;
