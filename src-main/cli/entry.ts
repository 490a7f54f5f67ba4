import { resolveSecretFiles } from '../config/secret-files.js';
import { runCli } from './main.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

// The `clawdbot` binary's entry (built to out/main/cli.js). Exit explicitly: an HTTP keep-alive
// socket to Docker must not keep a finished command alive. (Pipes to stdout/stderr are
// synchronous on POSIX, so nothing printed is lost.)
// Secrets given as files (`…_FILE`, Docker secrets) become the variables every reader expects,
// before any command (or the gateway the supervisor forks with this environment) reads them.
try {
  resolveSecretFiles();
} catch (error) {
  process.stderr.write(`clawdbot: ${describeError(error)}\n`);
  process.exit(1);
}
runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`clawdbot: ${describeError(error)}\n`);
    process.exit(1);
  },
);
