/**
 * Tells the owner why the assistant answers "not configured": this build has no model to call
 * yet, so every allowed message gets a short reply instead of an answer. Without it, the reply reads like a fault.
 */
export function NoModelNotice() {
  return (
    <p className="notice notice--warn no-model" data-testid="no-model">
      No model is configured yet, so the assistant cannot answer. Messages from people you allowed
      on WhatsApp and Telegram still reach their sessions, and each conversation gets a short
      &ldquo;not configured&rdquo; reply at most once a minute.
    </p>
  );
}
