/** The owner's session: the console, the owner's DMs, the WhatsApp self-chat. */
export const MAIN_SESSION_KEY = 'main';

/** The session of one allowed (non-owner) DM peer: never the owner's. */
export function dmSessionKey(provider: string, peerId: string): string {
  return `dm:${provider}:${peerId}`;
}

/** The session of a group (and forum topic). */
export function groupSessionKey(provider: string, groupId: string, topicId?: string): string {
  return topicId ? `group:${provider}:${groupId}:topic:${topicId}` : `group:${provider}:${groupId}`;
}
