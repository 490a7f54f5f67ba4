import { resolveStateDir } from '../store/state-dir.js';
import { connectParentChannel } from './parent-channel.js';
import { runGateway } from './run-gateway.js';
import { APP_VERSION } from '../version.js';
import { createLogger } from '../logging/logger.js';

// The gateway child's entry point (forked by the supervisor). `clawdbot gateway run` calls
// runGateway directly in the foreground instead.
const log = createLogger({ process: 'gateway' });
// A stray rejection (a provider library's background promise) is a bug to log, not a reason to
// drop every connection: the supervisor's heartbeat watchdog handles a gateway that is truly stuck.
process.on('unhandledRejection', (reason) =>
  log.error('unhandled rejection', { error: String(reason) }),
);
const parent = connectParentChannel();
runGateway({
  stateDir: resolveStateDir(),
  parent,
  version: APP_VERSION,
  notice: (line) => process.stderr.write(`${line}\n`),
  log,
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `gateway failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
