import { DoctorChecks } from './DoctorChecks.js';

/**
 * Step 5: the sandbox: the Docker engine reachable, the sandbox image present, and the runtime
 * the config asks for listed by the engine.
 */
export function SandboxStep() {
  return (
    <div className="stack">
      <p>
        Friends&apos; tool calls run in hardened Docker containers. These checks ask the engine now.
        A missing image is built by <code>clawdbot doctor --fix</code> on this machine (it takes a
        few minutes and shows its progress there). The runtime and limits are in Settings → Sandbox.
      </p>
      <DoctorChecks
        ids={['docker.engine', 'sandbox.image', 'docker.runtimes']}
        testId="setup-sandbox-checks"
      />
    </div>
  );
}
