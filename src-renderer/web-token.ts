/** Where this tab keeps web mode's token once it is out of the address bar. */
const TOKEN_KEY = 'clawdbot.webToken';

/**
 * Web mode's token arrives in the URL fragment (never sent to any server). Keep it for this tab
 * and take it out of the address bar, so it does not end up in a screenshot or a shared link.
 * Called first by the page's inline bootstrap (early-socket.ts), then by the transport, which
 * finds it in the tab's storage.
 */
export function takeWebToken(): string | null {
  const match = /(?:^|[#&])token=([^&]+)/.exec(location.hash);
  if (match?.[1]) {
    const token = decodeURIComponent(match[1]);
    sessionStorage.setItem(TOKEN_KEY, token);
    history.replaceState(null, '', location.pathname + location.search);
    return token;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}
