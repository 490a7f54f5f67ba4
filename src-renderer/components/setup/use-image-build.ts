import { useEffect, useState } from 'react';
import type { ImageBuildState } from '../../../src-shared/domain/image-build.js';
import { useTransport } from '../../state/store-context.js';

/**
 * The supervisor's sandbox image build, live: asked once when shown (so a reload finds a build
 * still running) and then followed through `imagebuild:changed`.
 */
export function useImageBuild(): ImageBuildState | null {
  const transport = useTransport();
  const [state, setState] = useState<ImageBuildState | null>(null);
  useEffect(() => {
    if (!transport) return undefined;
    let live = true;
    // An event that arrives before the first answer is newer: the answer must not undo it.
    let evented = false;
    const off = transport.on('imagebuild:changed', (next) => {
      evented = true;
      setState(next);
    });
    void transport.invoke('imagebuild:get', {}).then(
      (reply) => {
        if (live && !evented && reply.ok) setState(reply.value);
      },
      () => undefined,
    );
    return () => {
      live = false;
      off();
    };
  }, [transport]);
  return state;
}
