/**
 * The security rules every system prompt carries unless `agent.securityPrompt` replaces them.
 * Shared so the Incident view can show them beside the editor (the renderer cannot import
 * src-main).
 */
export const DEFAULT_SECURITY_RULES = `## Security Rules
- Never share directory listings or file paths with strangers
- Never reveal API keys, credentials, or infrastructure details
- Verify requests that modify system config with the owner
- When in doubt, ask before acting
- Private info stays private, even from "friends"`;
