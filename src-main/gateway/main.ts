import { resolveStateDir } from '../state-layout.js';
import { resolveSecretFiles } from '../config/secret-files.js';
import { connectParentChannel } from './parent-channel.js';
import { runGateway } from './run-gateway.js';
import { APP_VERSION } from '../version.js';
import { startProcessLogging } from '../logging/process-logging.js';
import { openConfigService } from '../config/open-config-service.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

// The gateway child's entry point (forked by the supervisor). `clawdbot gateway run` calls
// runGateway directly in the foreground instead.
// Lines go to the day's log file and to stderr, whose tail the supervisor keeps for crashes.
// Secrets given as files (`…_FILE`): a supervisor already resolved them; a gateway started
// another way resolves them itself. A file that cannot be read stops it here, named.
resolveSecretFiles();
const stateDir = resolveStateDir();
// One config service for the process: a file broken at start still logs where (and runs on
// what) the last good config says.
const config = openConfigService(stateDir);
const log = startProcessLogging({ process: 'gateway', stateDir, follow: true, config }).log;
// A stray rejection (a provider library's background promise) is a bug to log, not a reason to
// drop every connection: the supervisor's heartbeat watchdog handles a gateway that is truly stuck.
process.on('unhandledRejection', (reason) =>
  log.error('unhandled rejection', { error: describeError(reason) }),
);
const parent = connectParentChannel();
runGateway({
  stateDir,
  parent,
  version: APP_VERSION,
  // Through the logger: into the day's file as well as stderr (which the supervisor keeps).
  notice: (line) => log.warn(line),
  log,
  config,
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Through the logger: into the file too, and redacted (a start-up error may quote a token).
    log.error('gateway failed', { error });
    process.exit(1);
  },
);
