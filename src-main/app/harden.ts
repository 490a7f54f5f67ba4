/** An Electron event whose default can be prevented (navigation, webview attachment). */
export interface PreventableEvent {
  preventDefault(): void;
}

/** The part of a `WebContents` the app-wide hardening uses. */
export interface HardenedContents {
  setWindowOpenHandler(handler: () => { action: 'deny' }): void;
  on(event: 'will-navigate', listener: (event: PreventableEvent) => void): void;
  on(event: 'will-redirect', listener: (event: PreventableEvent) => void): void;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): void;
}

/** The part of Electron's `app` the hardening uses. */
export interface HardenedApp {
  on(
    event: 'web-contents-created',
    listener: (event: unknown, contents: HardenedContents) => void,
  ): void;
}

/** Response headers as Electron's `webRequest` passes them. */
export type ResponseHeaders = Record<string, string | string[]>;

/** The part of Electron's default `session` the hardening uses. */
export interface HardenedSession {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: () => boolean): void;
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { responseHeaders?: ResponseHeaders },
        callback: (response: { responseHeaders: ResponseHeaders }) => void,
      ) => void,
    ): void;
  };
}

/**
 * App-wide hardening: no new windows, no navigation away from our page, no webviews. Call it
 * before the app is ready, so no web contents escapes it.
 */
export function hardenApp(app: HardenedApp): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

/**
 * Session-level hardening (every permission request denied, `contentSecurityPolicy` on every
 * response: the renderer's, see content-security-policy.ts); once ready.
 */
export function hardenSession(session: HardenedSession, contentSecurityPolicy: string): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [contentSecurityPolicy],
      },
    });
  });
}
