// Telegram bot tokens (`123456789:AA…`), the secret most likely to end up in an error message
// (network errors carry the request URL). Issue-specific redaction (configured secrets, API keys)
// belongs here too as it arrives.
const TELEGRAM_TOKEN = /(?<!\d)\d{6,12}:[A-Za-z0-9_-]{30,}/g;

/** Text with known secret shapes replaced by `[redacted]`: applied to every log line and crash tail. */
export function redactSecrets(text: string): string {
  return text.replace(TELEGRAM_TOKEN, '[redacted]');
}
