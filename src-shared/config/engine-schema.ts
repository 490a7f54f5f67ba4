import { z } from 'zod';

/**
 * `agent.sandbox.engine`: which Docker engine sandboxes run on, written the way Docker users
 * already name one (`DOCKER_HOST`, `docker context`). Unset: `DOCKER_HOST` (with
 * `DOCKER_TLS_VERIFY` / `DOCKER_CERT_PATH`) when set, else the local engine.
 */

/** The address schemes an engine can be reached by, as Docker's `DOCKER_HOST` spells them. */
export const ENGINE_SCHEMES = ['unix', 'npipe', 'tcp', 'ssh'] as const;

const filePath = z.string().trim().min(1, 'must be a file path');

/** `agent.sandbox.engine.tls`: the client certificate and the CA that signed the engine's. */
export const EngineTlsSchema = z.strictObject({
  /** The CA certificate the engine's certificate must be signed by (PEM file). */
  ca: filePath.optional(),
  /** The client certificate the engine checks (PEM file). */
  cert: filePath.optional(),
  /** The client certificate's private key (PEM file). */
  key: filePath.optional(),
  /** Check the engine's certificate against `ca` and its host name. Turning it off is audited. */
  verify: z.boolean().default(true),
});
/** `agent.sandbox.engine.tls`, defaults applied. */
export type EngineTls = z.infer<typeof EngineTlsSchema>;

/** `agent.sandbox.engine.ssh`: how an `ssh://` engine's host is trusted and logged in to. */
export const EngineSshSchema = z.strictObject({
  /** A private key file; default: the SSH agent (`SSH_AUTH_SOCK`), else ~/.ssh/id_ed25519 etc. */
  identityFile: filePath.optional(),
  /** The known_hosts file the engine host's key must be in (default ~/.ssh/known_hosts). */
  knownHosts: filePath.optional(),
});
/** `agent.sandbox.engine.ssh`, defaults applied. */
export type EngineSsh = z.infer<typeof EngineSshSchema>;

const hostUrl = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const problem = engineHostProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `agent.sandbox.engine.host: ${problem}` });
  });

const EngineObjectSchema = z
  .strictObject({
    /** `unix:///path`, `npipe:////./pipe/name`, `tcp://host:port` or `ssh://user@host[:port]`. */
    host: hostUrl.optional(),
    /** A Docker CLI context by name (`docker context ls`), read from ~/.docker/contexts. */
    context: z.string().trim().min(1, 'must name a Docker context').optional(),
    /** For `tcp://`: TLS settings. */
    tls: EngineTlsSchema.optional(),
    /** For `tcp://` only: talk to the engine without TLS (anyone on the path controls it). */
    insecure: z.boolean().default(false),
    /** For `ssh://`: key and known_hosts. */
    ssh: EngineSshSchema.optional(),
  })
  .superRefine((engine, ctx) => {
    const fail = (message: string): void => {
      ctx.addIssue({ code: 'custom', message: `agent.sandbox.engine: ${message}` });
    };
    if ((engine.host === undefined) === (engine.context === undefined)) {
      fail('set exactly one of host (e.g. "tcp://host:2376") or context (a Docker context name)');
      return;
    }
    if (engine.context !== undefined) {
      if (engine.tls || engine.insecure || engine.ssh) {
        fail('with context, tls, insecure and ssh come from the Docker context; remove them');
      }
      return;
    }
    const scheme = engine.host?.split('://')[0];
    if (scheme === 'tcp') {
      if (engine.tls && engine.insecure) fail('tls and insecure: true contradict each other');
      if (!engine.tls && !engine.insecure) {
        fail(
          'a tcp:// engine needs tls: { ca, cert, key } (or, knowingly, insecure: true: ' +
            'whoever can reach that port then controls every sandbox)',
        );
      }
    } else {
      if (engine.tls) fail(`tls is for tcp:// engines, not ${scheme}://`);
      if (engine.insecure) fail(`insecure is for tcp:// engines, not ${scheme}://`);
    }
    if (engine.ssh && scheme !== 'ssh') fail(`ssh is for ssh:// engines, not ${scheme}://`);
  });

/**
 * `agent.sandbox.engine`: a host URL (shorthand for `{ host }`) or the full form. Absent: the
 * environment's `DOCKER_HOST` or the local engine.
 */
export const EngineConfigSchema = z.preprocess(
  (value) => (typeof value === 'string' ? { host: value } : value),
  EngineObjectSchema,
);
/** `agent.sandbox.engine`, defaults applied. */
export type EngineConfig = z.infer<typeof EngineObjectSchema>;

/**
 * What is wrong with an engine address, or null when it is one Docker accepts: `unix://` and
 * `npipe://` with a path, `tcp://host:port`, `ssh://user@host[:port]` (no path, as Docker's CLI).
 */
export function engineHostProblem(value: string): string | null {
  const match = /^([a-z]+):\/\/(.*)$/.exec(value);
  const expected = `expected ${ENGINE_SCHEMES.map((s) => `${s}://…`).join(', ')}`;
  if (!match) return `"${value}" is not an engine address; ${expected}`;
  const [, scheme, rest = ''] = match;
  switch (scheme) {
    case 'unix':
    case 'npipe':
      return rest === '' ? `${scheme}:// needs a socket path, e.g. ${scheme}:///…` : null;
    case 'tcp': {
      const hostPort = /^(\[[0-9a-fA-F:.]+\]|[^/:@[\]]+):(\d{1,5})\/?$/.exec(rest);
      if (!hostPort || Number(hostPort[2]) < 1 || Number(hostPort[2]) > 65535) {
        return `"${value}" must be tcp://host:port (e.g. tcp://build.example:2376)`;
      }
      return null;
    }
    case 'ssh': {
      const userHost = /^([^@/:]+)@(\[[0-9a-fA-F:.]+\]|[^/:@[\]]+)(?::(\d{1,5}))?\/?$/.exec(rest);
      if (!userHost) return `"${value}" must be ssh://user@host or ssh://user@host:port`;
      const port = userHost[3];
      if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
        return `"${value}": the port must be 1 to 65535`;
      }
      return null;
    }
    default:
      return `unknown scheme "${scheme}://"; ${expected}`;
  }
}
