import { resolveStateDir } from '../store/state-dir.js';
import { connectParentChannel } from './parent-channel.js';
import { runGateway } from './run-gateway.js';
import { APP_VERSION } from '../version.js';
import { createLogger } from '../logging/logger.js';

// The gateway child's entry point (forked by the supervisor). `clawdbot gateway run` calls
// runGateway directly in the foreground instead.
const parent = connectParentChannel();
runGateway({
  stateDir: resolveStateDir(),
  parent,
  version: APP_VERSION,
  notice: (line) => process.stderr.write(`${line}\n`),
  log: createLogger({ process: 'gateway' }),
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `gateway failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
