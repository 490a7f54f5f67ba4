import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildStepOf, type ImageBuildState } from '../../src-shared/domain/image-build.js';
import { imageBuildForHost } from '../../src-main/doctor/run-doctor.js';
import { ImageBuildAdmin } from '../../src-main/supervisor/image-build-admin.js';
import { TEST_IMAGE, dockerAvailable, testDockerClient } from '../helpers/docker.js';
import { writeConfig } from '../helpers/gateway-harness.js';
import { NO_DOCKER_HOST } from '../helpers/paths.js';
import { useTempStateDirs } from '../helpers/temp-state.js';
import { waitFor } from '../helpers/wait.js';
import { testRunTag } from '../sandbox/sandbox-test-kit.js';

const hasDocker = await dockerAvailable();

/** The supervisor's image build on a state directory whose config names `image`, and its events. */
function admin(stateDir: string, image: string, env: NodeJS.ProcessEnv, recipe?: string) {
  writeConfig(stateDir, { agent: { sandbox: { docker: { image } } } });
  const seen: ImageBuildState[] = [];
  const build = new ImageBuildAdmin(
    imageBuildForHost(
      stateDir,
      { ...env, CLAWDBOT_CONFIG_PATH: '' },
      recipe ? { assetsDir: recipe, offline: false } : undefined,
    ),
    () => image,
    (state) => void seen.push(state),
  );
  const ended = () =>
    waitFor(
      'the build to end',
      () => (build.state().phase !== 'running' ? build.state() : null),
      60_000,
    );
  return { build, seen, ended };
}

describe('the setup page’s sandbox image build', () => {
  const stateDir = useTempStateDirs();

  it('reads the step from both builds’ progress lines', () => {
    expect(buildStepOf('[2/3] adding the sandbox user')).toEqual({ step: 2, steps: 3 });
    expect(buildStepOf('Step 4/9 : RUN apt-get update')).toEqual({ step: 4, steps: 9 });
    expect(buildStepOf('      I: Retrieving libc6')).toBeNull();
    expect(buildStepOf('[4/3] nonsense')).toBeNull();
  });

  it('an engine that cannot be reached fails the build, saying where it looked', async () => {
    const { build, seen, ended } = admin(stateDir(), 'clawdbot-sandbox:bookworm', {
      ...process.env,
      DOCKER_HOST: NO_DOCKER_HOST,
    });
    expect(build.start().phase).toBe('running');
    const end = await ended();
    expect(end).toMatchObject({ phase: 'failed', image: 'clawdbot-sandbox:bookworm' });
    expect(end.error).toContain('Docker is not reachable at');
    expect(end.error).toContain('/nonexistent/clawdbot-test-docker.sock');
    expect(seen.at(-1)).toEqual(end);
  });

  it.skipIf(!hasDocker)('a failing step fails the build with the engine’s reason', async () => {
    const dir = stateDir();
    const recipe = join(dir, '..', 'recipe');
    mkdirSync(recipe, { recursive: true });
    writeFileSync(join(recipe, 'packages.txt'), '');
    writeFileSync(
      join(recipe, 'Dockerfile'),
      `FROM ${TEST_IMAGE}\nRUN echo about to fail && false\n`,
    );
    const image = `clawdbot-build-fail:${testRunTag('fail')}`;
    const { build, ended } = admin(dir, image, process.env, recipe);
    build.start();
    const end = await ended();
    expect(end).toMatchObject({ phase: 'failed', step: 2, steps: 2 });
    expect(end.error).toContain(`could not build ${image}: docker build failed`);
    expect(end.error).toContain('returned a non-zero code: 1');
    await expect(testDockerClient().getImage(image).inspect()).rejects.toThrow();
    // Failed is not stuck: it can be started again.
    expect(build.start().phase).toBe('running');
    await ended();
  });
});
