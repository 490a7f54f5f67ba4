import * as Tabs from '@radix-ui/react-tabs';
import { AccessSection } from '../components/settings/AccessSection.js';
import {
  ApprovalsSection,
  ElevatedSection,
  SandboxSection,
} from '../components/settings/AgentSections.js';
import { AllowlistSettings } from '../components/settings/AllowlistSettings.js';
import { DiffReview } from '../components/settings/DiffReview.js';
import { LimitsSection, LoggingSection } from '../components/settings/OperationsSections.js';
import type { ReactNode } from 'react';
import { useConfigDraft, type ConfigDraft } from '../components/settings/use-config-draft.js';
import '../components/settings/settings.css';

const TABS: readonly [string, string, (props: { draft: ConfigDraft }) => ReactNode][] = [
  ['access', 'Access', AccessSection],
  ['allowlists', 'Allowlists', AllowlistSettings],
  ['elevated', 'Elevated', ElevatedSection],
  ['sandbox', 'Sandbox', SandboxSection],
  ['approvals', 'Approvals', ApprovalsSection],
  ['limits', 'Limits', LimitsSection],
  ['logging', 'Logging', LoggingSection],
];

/**
 * Every policy, editable: forms validated by the config schema (problems next to the field),
 * a diff before saving, saved into the config file with its comments, in force at once.
 */
export function SettingsView() {
  const draft = useConfigDraft();
  const view = draft.view;
  if (!view) return <p>{draft.error ?? 'Loading…'}</p>;
  return (
    <div className="stack settings" data-testid="settings-view">
      <header className="settings__header">
        <h2>Settings</h2>
        <p className="muted">
          Saved into <code data-testid="settings-config-path">{view.path}</code>
          {view.exists ? '' : ' (created on the first save)'}; comments in it are kept.
        </p>
        {view.errors.length > 0 && (
          <p className="notice notice--error" role="alert">
            The file is rejected ({view.errors.join('; ')}); the last good config is in force. A
            save must leave the whole file valid.
          </p>
        )}
      </header>
      <Tabs.Root defaultValue="access" className="settings__tabs">
        <Tabs.List aria-label="Settings sections" className="settings__tab-list">
          {TABS.map(([value, label]) => (
            <Tabs.Trigger key={value} value={value} data-testid={`settings-tab-${value}`}>
              {label}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        {TABS.map(([value, , Section]) => (
          <Tabs.Content key={value} value={value}>
            <Section draft={draft} />
          </Tabs.Content>
        ))}
      </Tabs.Root>
      <DiffReview draft={draft} />
    </div>
  );
}
