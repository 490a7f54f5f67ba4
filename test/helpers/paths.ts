import { join } from 'node:path';

/** The repository root. */
export const repoRoot = join(import.meta.dirname, '..', '..');
/** The built gateway entry. */
export const builtGateway = join(repoRoot, 'out', 'main', 'gateway.js');
/** The built renderer. */
export const builtRenderer = join(repoRoot, 'out', 'renderer');
/** The `clawdbot` command. */
export const cliBin = join(repoRoot, 'bin', 'clawdbot.js');
/** Fixture scripts. */
export const fixturesDir = join(repoRoot, 'test', 'fixtures');
/** A Docker socket that does not exist: for tests whose kill switch must not touch the engine. */
export const NO_DOCKER_HOST = 'unix:///nonexistent/clawdbot-test-docker.sock';
