import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where the renderer may come from: the built file, or (development builds only) a dev server. */
export interface RendererSource {
  /** The build's output directory (`out/`), holding `renderer/index.html`. */
  outDir: string;
  /** A packaged app never loads a page named by its environment. */
  packaged: boolean;
  /** `$ELECTRON_RENDERER_URL`, set by `electron-vite dev`. */
  devServerUrl?: string;
}

/** The URL the renderer is loaded from: the dev server under `electron-vite dev`, else the built file. */
export function rendererUrl({ outDir, packaged, devServerUrl }: RendererSource): string {
  // Only a development build may load (and so trust for IPC) a page named by the environment.
  const devServer = packaged ? undefined : devServerUrl || undefined;
  return devServer ?? pathToFileURL(join(outDir, 'renderer', 'index.html')).href;
}

/**
 * Whether a frame's URL is our own page: the same file (any query or fragment), or the dev
 * server's origin. This is what IPC trusts, so anything unparsable is not ours.
 */
export function isOwnPage(url: string, ownUrl: string): boolean {
  const own = new URL(ownUrl);
  let given: URL;
  try {
    given = new URL(url);
  } catch {
    // Not a URL at all (an empty or opaque frame URL): certainly not our page.
    return false;
  }
  return own.protocol === 'file:'
    ? given.protocol === 'file:' && given.pathname === own.pathname
    : given.origin === own.origin;
}
