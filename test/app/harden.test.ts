import { describe, expect, it } from 'vitest';
import {
  hardenApp,
  hardenSession,
  type HardenedContents,
  type PreventableEvent,
  type ResponseHeaders,
} from '../../src-main/app/harden.js';

/** A web contents that records what the hardening installed on it. */
function fakeContents() {
  const listeners = new Map<string, (event: PreventableEvent) => void>();
  let openHandler: (() => { action: 'deny' }) | null = null;
  const contents: HardenedContents = {
    setWindowOpenHandler: (handler) => (openHandler = handler),
    on: (event: string, listener: (event: PreventableEvent) => void) => {
      listeners.set(event, listener);
    },
  };
  const prevented = (event: string): boolean => {
    let done = false;
    listeners.get(event)?.({ preventDefault: () => (done = true) });
    return done;
  };
  return { contents, prevented, openWindow: () => openHandler?.() };
}

describe('the desktop hardening', () => {
  it('every web contents: no new windows, no navigation or redirect away, no webviews', () => {
    let created: ((event: unknown, contents: HardenedContents) => void) | null = null;
    hardenApp({ on: (_event, listener) => (created = listener) });
    const page = fakeContents();
    created!({}, page.contents);
    expect(page.openWindow()).toEqual({ action: 'deny' });
    expect(page.prevented('will-navigate')).toBe(true);
    expect(page.prevented('will-redirect')).toBe(true);
    expect(page.prevented('will-attach-webview')).toBe(true);
  });

  it('the session: every permission denied, and our CSP on every response', () => {
    let request: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | null = null;
    let check: (() => boolean) | null = null;
    let headers:
      | ((
          details: { responseHeaders?: ResponseHeaders },
          callback: (response: { responseHeaders: ResponseHeaders }) => void,
        ) => void)
      | null = null;
    hardenSession(
      {
        setPermissionRequestHandler: (handler) => (request = handler),
        setPermissionCheckHandler: (handler) => (check = handler),
        webRequest: { onHeadersReceived: (listener) => (headers = listener) },
      },
      "default-src 'none'; script-src 'self' 'sha256-x'",
    );
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      let granted: boolean | null = null;
      request!({}, permission, (answer) => (granted = answer));
      expect(granted, permission).toBe(false);
    }
    expect(check!()).toBe(false);
    let response: { responseHeaders: ResponseHeaders } | null = null;
    headers!(
      {
        responseHeaders: {
          'Content-Type': ['text/html'],
          'Content-Security-Policy': ['default-src *'],
        },
      },
      (answer) => (response = answer),
    );
    expect(response).toEqual({
      responseHeaders: {
        'Content-Type': ['text/html'],
        'Content-Security-Policy': ["default-src 'none'; script-src 'self' 'sha256-x'"],
      },
    });
  });
});
