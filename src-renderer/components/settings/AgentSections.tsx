import { MESSAGING_PROVIDERS } from '../../../src-shared/domain/providers.js';
import { providerName } from '../../../src-shared/domain/pairing-display.js';
import { SettingsField } from './SettingsField.js';
import type { ConfigDraft } from './use-config-draft.js';

/** The escape hatch out of the sandbox: who may use it, and whether in groups. */
export function ElevatedSection(props: { draft: ConfigDraft }) {
  const { draft } = props;
  return (
    <section className="card" aria-labelledby="settings-elevated">
      <h3 id="settings-elevated">Elevated (host access for listed senders)</h3>
      <SettingsField
        draft={draft}
        path={['agent', 'elevated', 'enabled']}
        label="Allow elevated turns"
        kind={{ type: 'boolean' }}
        help="An elevated turn runs tools on this machine, with the owner's approval for each command."
      />
      <SettingsField
        draft={draft}
        path={['agent', 'elevated', 'groups']}
        label="Also inside groups"
        kind={{ type: 'boolean' }}
        help="Off: elevated only in direct messages, where nobody else can steer the turn."
      />
      {MESSAGING_PROVIDERS.map((provider) => (
        <SettingsField
          key={provider}
          draft={draft}
          path={['agent', 'elevated', 'allowFrom', provider]}
          label={`Who may ask for it on ${providerName(provider)}`}
          kind={{ type: 'list', placeholder: 'one sender id per line' }}
        />
      ))}
    </section>
  );
}

/** Where tools run and how tightly: mode, runtime, image and limits. */
export function SandboxSection(props: { draft: ConfigDraft }) {
  const { draft } = props;
  const docker = (key: string) => ['agent', 'sandbox', 'docker', key];
  return (
    <section className="card" aria-labelledby="settings-sandbox">
      <h3 id="settings-sandbox">Sandbox</h3>
      <SettingsField
        draft={draft}
        path={['agent', 'sandbox', 'mode']}
        label="Which sessions run tools in a sandbox"
        kind={{
          type: 'select',
          options: [
            { value: 'non-main', label: 'Everyone but the owner (recommended)' },
            { value: 'all', label: 'Everyone, the owner too' },
            { value: 'off', label: 'Nobody: every tool runs on this machine' },
          ],
        }}
      />
      <SettingsField
        draft={draft}
        path={['agent', 'sandbox', 'scope']}
        label="Containers"
        kind={{
          type: 'select',
          options: [
            { value: 'session', label: 'One per session' },
            { value: 'shared', label: 'One shared by every session' },
          ],
        }}
      />
      <SettingsField
        draft={draft}
        path={docker('runtime')}
        label="Runtime"
        kind={{ type: 'text', optional: true, placeholder: "the engine's default (runc)" }}
        help='e.g. "runsc" for gVisor; a runtime the engine does not list makes sandboxed tools fail closed.'
      />
      <SettingsField draft={draft} path={docker('image')} label="Image" kind={{ type: 'text' }} />
      <SettingsField
        draft={draft}
        path={docker('memoryMiB')}
        label="Memory"
        kind={{ type: 'number', unit: 'MiB' }}
      />
      <SettingsField draft={draft} path={docker('cpus')} label="CPUs" kind={{ type: 'number' }} />
      <SettingsField
        draft={draft}
        path={docker('pidsLimit')}
        label="Processes"
        kind={{ type: 'number' }}
      />
      <SettingsField
        draft={draft}
        path={['agent', 'sandbox', 'workspace', 'maxMiB']}
        label="Workspace size"
        kind={{ type: 'number', unit: 'MiB' }}
      />
    </section>
  );
}

/** When a command waits for the owner. The allowlist itself is edited in Approvals. */
export function ApprovalsSection(props: { draft: ConfigDraft }) {
  const { draft } = props;
  return (
    <section className="card" aria-labelledby="settings-approvals">
      <h3 id="settings-approvals">Approvals</h3>
      <SettingsField
        draft={draft}
        path={['agent', 'approvals', 'host']}
        label="Commands on this machine"
        kind={{
          type: 'select',
          options: [
            { value: 'ask', label: 'Ask me unless the allowlist matches' },
            { value: 'allowlist', label: 'Only allowlisted commands, never ask' },
            { value: 'off', label: 'Run without asking' },
          ],
        }}
      />
      <SettingsField
        draft={draft}
        path={['agent', 'approvals', 'sandbox']}
        label="Commands in sandboxes"
        kind={{
          type: 'select',
          options: [
            { value: 'off', label: 'Run without asking' },
            { value: 'ask', label: 'Ask me unless the allowlist matches' },
          ],
        }}
      />
      <SettingsField
        draft={draft}
        path={['agent', 'approvals', 'timeoutSec']}
        label="Deny when nobody answers within"
        kind={{ type: 'number', unit: 'seconds' }}
      />
      <p className="muted">
        The approvals allowlist (commands that never ask) is edited in the Approvals view, where
        each entry shows who added it.
      </p>
    </section>
  );
}
