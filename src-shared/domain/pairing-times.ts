// Kept free of zod: the page's first chunk needs these (a pairing toast says what Reject means)
// and the dashboard keeps zod out of that chunk so it paints sooner.

/** A pending request expires this long after it was created. */
export const PAIRING_TTL_MS = 60 * 60 * 1000;
/** A rejected sender is ignored (no reply, no new request) this long after the rejection. */
export const PAIRING_REJECT_MS = PAIRING_TTL_MS;
