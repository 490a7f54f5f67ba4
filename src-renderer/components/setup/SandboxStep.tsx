import { useDoctor } from '../../state/doctor-store.js';
import { DoctorChecks } from './DoctorChecks.js';
import { ImageBuild } from './ImageBuild.js';
import type { SetupHandle } from './use-setup.js';

/**
 * Step 5: the sandbox: the Docker engine reachable, the sandbox image present (built here, with
 * its progress, when it is missing), and the runtime the config asks for listed by the engine.
 */
export function SandboxStep({ setup }: { setup: SetupHandle }) {
  const image = useDoctor((s) => s.report?.checks.find((check) => check.id === 'sandbox.image'));
  return (
    <div className="stack">
      <p>
        Friends&apos; tool calls run in hardened Docker containers. These checks ask the engine now.
        A missing image can be built here (or with <code>clawdbot doctor --fix</code>). The runtime
        and limits are in Settings → Sandbox.
      </p>
      <DoctorChecks
        ids={['docker.engine', 'sandbox.image', 'docker.runtimes']}
        testId="setup-sandbox-checks"
      />
      <ImageBuild setup={setup} missing={image?.status === 'error'} />
    </div>
  );
}
