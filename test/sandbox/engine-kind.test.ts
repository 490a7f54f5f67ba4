import { describe, expect, it } from 'vitest';
import { engineKindOf, engineName } from '../../src-main/docker/engine-kind.js';

describe('the engine kind', () => {
  it("is Podman when Podman's service names itself among the components of /version", () => {
    const podman = {
      Components: [
        { Name: 'Podman Engine', Version: '4.3.1' },
        { Name: 'Conmon', Version: 'conmon version 2.1.6' },
      ],
    };
    expect(engineKindOf(podman)).toBe('podman');
    // Its /info says it too: Buildah is Podman's image builder.
    expect(engineKindOf({ BuildahVersion: '1.28.2' })).toBe('podman');
    expect(engineName(engineKindOf(podman))).toBe('Podman');
  });

  it('is Docker for Docker, and for an engine that names no components', () => {
    expect(engineKindOf({ Components: [{ Name: 'Engine' }, { Name: 'containerd' }] })).toBe(
      'docker',
    );
    expect(engineKindOf({})).toBe('docker');
    expect(engineKindOf({ Components: null })).toBe('docker');
  });
});
