import { join } from 'node:path';
import { appRootPath } from '../paths.js';

/**
 * What both builds of the gateway image agree on (Option A: the whole gateway in a container).
 * `docker/Dockerfile` states the same facts for `docker build` on a machine with a registry;
 * the offline build applies these to a debootstrapped root filesystem and then to the imported
 * image (see gateway-image-build.ts). A test reads the Dockerfile and checks that every line of
 * {@link GATEWAY_IMAGE_CONFIG} is in it, so the two cannot drift apart unnoticed.
 */

/** The tag both builds produce. */
export const DEFAULT_GATEWAY_IMAGE = 'clawdbot-gateway:local';

/**
 * The uid and gid the gateway runs as. Not 1000 (the first desktop user on most hosts, and the
 * sandbox image's user): a file the container writes on a bind mount never looks like the
 * owner's own, and nothing the gateway owns is the sandbox's.
 */
export const GATEWAY_UID = 10001;
/** The gid of the gateway's group. */
export const GATEWAY_GID = 10001;
/** The name of the gateway's user and group inside the image. */
export const GATEWAY_USER_NAME = 'clawdbot';
/** Where the app (out/, production node_modules, assets, bin) lives, read-only at run time. */
export const GATEWAY_APP_DIR = '/app';
/** The one volume: `$CLAWDBOT_STATE_DIR` (database, config, credentials, logs fallback), 0700. */
export const GATEWAY_STATE_DIR = '/data';
/** The web UI's port inside the container. */
export const GATEWAY_WEB_PORT = 18790;
/** The Debian release of the offline build's root filesystem (the Dockerfile's runtime stage). */
export const GATEWAY_DEBIAN_SUITE = 'bookworm';

/**
 * The Debian packages beyond debootstrap's minbase: CA certificates for the Bot API and the
 * model APIs, and tini as PID 1 (forwards `docker stop`'s SIGTERM to the supervisor and reaps
 * orphans of the owner's host tools, which Node as PID 1 would leave as zombies).
 */
export const GATEWAY_PACKAGES: readonly string[] = ['ca-certificates', 'tini'];

/**
 * How often Docker asks whether the gateway is healthy. `docker compose stop` is graceful well
 * within it: the supervisor gives the gateway 3 s to finish, then kills it.
 */
export const GATEWAY_HEALTH_INTERVAL_SEC = 10;

/**
 * The image's runtime configuration, as Dockerfile instructions. The offline build applies them
 * with a `docker build` of `FROM <imported rootfs>` plus these lines (a build from a local image
 * needs no registry); the Dockerfile's final stage has each line verbatim.
 */
export const GATEWAY_IMAGE_CONFIG: readonly string[] = [
  'ENV LANG=C.UTF-8',
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  'ENV NODE_ENV=production',
  `ENV HOME=${GATEWAY_STATE_DIR}`,
  `ENV CLAWDBOT_STATE_DIR=${GATEWAY_STATE_DIR}`,
  // Logs in the volume (the default, /tmp, is a tmpfs here and gone with the container), and
  // echoed to stdout as JSON lines for `docker logs`.
  `ENV CLAWDBOT_LOG_FILE=${GATEWAY_STATE_DIR}/logs/clawdbot-YYYY-MM-DD.log`,
  'ENV CLAWDBOT_LOG_STDOUT=1',
  `USER ${GATEWAY_UID}:${GATEWAY_GID}`,
  `WORKDIR ${GATEWAY_STATE_DIR}`,
  `VOLUME ["${GATEWAY_STATE_DIR}"]`,
  `EXPOSE ${GATEWAY_WEB_PORT}`,
  `HEALTHCHECK --interval=${GATEWAY_HEALTH_INTERVAL_SEC}s --timeout=5s --start-period=60s --retries=3 CMD ["clawdbot", "gateway", "health"]`,
  'ENTRYPOINT ["/usr/bin/tini", "--", "clawdbot"]',
  `CMD ["supervise", "--web", "--host", "0.0.0.0", "--port", "${GATEWAY_WEB_PORT}"]`,
];

/**
 * The parts of the repository the image holds besides production `node_modules`: the build
 * (`out/`), the `clawdbot` launcher, the sandbox recipe and workspace helper (the gateway
 * builds and runs sandboxes from them) and package.json (`"type": "module"` for the launcher).
 */
export const GATEWAY_APP_FILES: readonly string[] = [
  'package.json',
  'bin',
  'out',
  'assets/sandbox',
];

/** `docker/`, beside the source tree or the bundle: the Dockerfile and compose file's home. */
export function gatewayDockerDir(): string {
  return join(appRootPath(), 'docker');
}
