import { existsSync } from 'node:fs';
import type { Reporter, TestModule, Vitest } from 'vitest/node';
import { dockerEndpoint } from '../src-main/docker/docker-errors.js';
import { testDockerClient } from './helpers/docker.js';
import { CHROMIUM } from './helpers/browser.js';

/** The tags of tests that need something this machine may lack, in the order they are blamed. */
const NEEDS = ['docker', 'sandbox-image', 'browser'] as const;
type Need = (typeof NEEDS)[number];

const WHAT: Record<Need, string> = {
  docker: 'Docker',
  'sandbox-image': 'the sandbox image',
  browser: 'Chromium',
};

async function dockerProblem(): Promise<string | null> {
  const docker = testDockerClient(3000);
  try {
    await docker.ping();
    return null;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return `not reachable at ${dockerEndpoint(docker)}${typeof code === 'string' ? `: ${code}` : ''}`;
  }
}

/**
 * One line at the end of a run that skipped tests for want of Docker, the sandbox image or
 * Chromium: how many, why, and how to run them (or make them fail, as CI does). Skips for any
 * other reason (a name filter, `.only`) are not counted.
 */
export class SkipSummaryReporter implements Reporter {
  private vitest: Vitest | null = null;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>): Promise<void> {
    const skipped = new Map<Need, number>();
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        if (test.result().state !== 'skipped') continue;
        const need = NEEDS.find((tag) => test.tags.includes(tag));
        if (need) skipped.set(need, (skipped.get(need) ?? 0) + 1);
      }
    }
    if (skipped.size === 0) return;
    const reasons: Record<Need, string | null> = {
      docker: await dockerProblem(),
      'sandbox-image':
        this.vitest?.getRootProject().getProvidedContext().sandboxImageProblem ?? null,
      browser: existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing`,
    };
    const parts = NEEDS.filter((need) => skipped.has(need) && reasons[need] !== null).map(
      (need, i) => {
        const count = skipped.get(need) ?? 0;
        const noun = i === 0 ? (count === 1 ? ' test' : ' tests') : '';
        return `${count}${noun} that need${count === 1 ? 's' : ''} ${WHAT[need]} (${reasons[need]})`;
      },
    );
    if (parts.length === 0) return;
    const line = `Skipped ${parts.join(', ')}: install Docker and Chromium as the README's Tests section says (Debian: sudo apt-get install docker.io chromium debootstrap), or set CLAWDBOT_REQUIRE_DOCKER=1 CLAWDBOT_REQUIRE_BROWSER=1 to make them fail instead.`;
    if (this.vitest) this.vitest.logger.log(`\n${line}`);
    else console.log(`\n${line}`);
  }
}
