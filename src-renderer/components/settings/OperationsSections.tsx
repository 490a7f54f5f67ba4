import { SettingsField } from './SettingsField.js';
import type { ConfigDraft } from './use-config-draft.js';

/** Message rates, queue bounds and daily token budgets, for senders and the owner. */
export function LimitsSection(props: { draft: ConfigDraft }) {
  const { draft } = props;
  const who = [
    ['sender', 'Each friend or group sender'],
    ['owner', 'The owner'],
  ] as const;
  return (
    <section className="card" aria-labelledby="settings-limits">
      <h3 id="settings-limits">Limits and budgets</h3>
      <SettingsField
        draft={draft}
        path={['limits', 'dailyTokens']}
        label="Daily token budget, everyone together"
        kind={{ type: 'number', nullable: true, unit: 'tokens' }}
      />
      <SettingsField
        draft={draft}
        path={['limits', 'maxInboundChars']}
        label="Longest message accepted"
        kind={{ type: 'number', unit: 'characters' }}
      />
      <SettingsField
        draft={draft}
        path={['limits', 'maxQueuedPerSession']}
        label="Messages queued per session"
        kind={{ type: 'number', unit: 'messages' }}
      />
      {who.map(([key, title]) => (
        <fieldset key={key} className="settings-group">
          <legend>{title}</legend>
          <SettingsField
            draft={draft}
            path={['limits', key, 'messagesPerMinute']}
            label="Messages per minute"
            kind={{ type: 'number', nullable: true }}
          />
          <SettingsField
            draft={draft}
            path={['limits', key, 'burst']}
            label="Burst"
            kind={{ type: 'number', unit: 'messages' }}
          />
          <SettingsField
            draft={draft}
            path={['limits', key, 'dailyTokens']}
            label="Daily tokens"
            kind={{ type: 'number', nullable: true, unit: 'tokens' }}
          />
        </fieldset>
      ))}
    </section>
  );
}

/** Where the audit trail goes, how much of it, and for how long. */
export function LoggingSection(props: { draft: ConfigDraft }) {
  const { draft } = props;
  return (
    <section className="card" aria-labelledby="settings-logging">
      <h3 id="settings-logging">Logging</h3>
      <SettingsField
        draft={draft}
        path={['logging', 'level']}
        label="Level"
        kind={{
          type: 'select',
          options: ['debug', 'info', 'warn', 'error'].map((level) => ({
            value: level,
            label: level,
          })),
        }}
      />
      <SettingsField
        draft={draft}
        path={['logging', 'file']}
        label="Log file"
        kind={{
          type: 'text',
          optional: true,
          placeholder: '/tmp/clawdbot/clawdbot-YYYY-MM-DD.log',
        }}
      />
      <SettingsField
        draft={draft}
        path={['logging', 'keepDays']}
        label="Keep logs for"
        kind={{ type: 'number', unit: 'days' }}
      />
      <SettingsField
        draft={draft}
        path={['logging', 'redactSensitive']}
        label="Hide secrets and message text in logs"
        kind={{ type: 'boolean' }}
      />
    </section>
  );
}
