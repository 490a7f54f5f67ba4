import { defineCheck } from '../doctor-context.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** An image older than this misses a month of Debian security updates. */
const STALE_DAYS = 30;

/** The command that builds the sandbox image: offline (debootstrap) needs no registry. */
export const IMAGE_BUILD_COMMAND =
  '`clawdbot sandbox image build --offline` (as root; without --offline where a registry is reachable), or `clawdbot doctor --fix`';

/** The sandbox image on the engine, and how old it is. */
export const checkSandboxImage = defineCheck(
  'sandbox.image',
  'Sandbox image',
  async (_context, facts, o) => {
    const { image } = facts.config.config.agent.sandbox.docker;
    const { engine } = facts;
    if (!engine.ok) return o.info(`${image}: not checked, Docker is not reachable`);
    let created: number;
    let sizeMb: number;
    try {
      const inspected = await engine.client.getImage(image).inspect();
      created = Date.parse(inspected.Created);
      sizeMb = Math.round(inspected.Size / 1e6);
    } catch {
      if (facts.config.config.agent.sandbox.mode === 'off') {
        return o.info(
          `${image} is not on the engine (no session is sandboxed: agent.sandbox.mode is off)`,
        );
      }
      return o.error(
        `${image} is not on the engine: sandboxed sessions' tools are refused until it is built`,
        `build it: ${IMAGE_BUILD_COMMAND}`,
        true,
      );
    }
    const days = Math.floor((Date.now() - created) / DAY_MS);
    const age = days === 0 ? 'today' : days === 1 ? 'a day ago' : `${days} days ago`;
    const summary = `${image}, built ${age} (${sizeMb} MB)`;
    if (days > STALE_DAYS) {
      return o.info(
        `${summary}: its packages miss ${days} days of Debian updates`,
        `rebuild it for security updates: remove it (\`docker image rm ${image}\`), then ${IMAGE_BUILD_COMMAND}`,
      );
    }
    return o.ok(summary);
  },
);
