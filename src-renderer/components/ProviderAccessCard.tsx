import type { ProviderAllowlist } from '../../src-shared/domain/allowlist-overview.js';
import { AllowlistEntries } from './AllowlistEntries.js';
import { providerName } from '../../src-shared/domain/pairing-display.js';
import { dmPolicyWords, groupPolicyWords } from './policy-words.js';

/** One provider's access: both policies in plain words, then who is allowed, and from where. */
export function ProviderAccessCard({
  access,
  configPath,
}: {
  access: ProviderAllowlist;
  configPath: string;
}) {
  const { provider, dmPolicy, groupPolicy, groupAllowFrom } = access;
  const dm = dmPolicyWords[dmPolicy];
  const group = groupPolicyWords[groupPolicy];
  const dmEntries = access.entries.filter((e) => e.kind === 'dm');
  const groupEntries = access.entries.filter((e) => e.kind === 'group');

  return (
    <section
      className="card"
      aria-label={`${providerName(provider)} access`}
      data-testid={`access-${provider}`}
    >
      <h2>{providerName(provider)}</h2>

      <h3>Direct messages</h3>
      <p data-testid="dm-policy">
        <strong>{dm.name}.</strong> {dm.meaning}
      </p>
      {dmPolicy === 'open' && (
        <p className="warning" role="alert" data-testid="dm-open-warning">
          Anyone can message this bot on {providerName(provider)}, and each of them gets a session
          with tools. To close it, set <code>{provider}.dmPolicy</code> to{' '}
          <code>&quot;pairing&quot;</code> in <code>{configPath}</code>.
        </p>
      )}
      <AllowlistEntries
        entries={dmEntries}
        configPath={configPath}
        empty="No one is on the DM allowlist."
        testId="dm-entries"
      />

      <h3>Groups</h3>
      <p data-testid="group-policy">
        <strong>{group.name}.</strong> {group.meaning}
      </p>
      {groupPolicy === 'open' && (
        <p className="warning" role="alert" data-testid="group-open-warning">
          Anyone in a group the bot is allowed in can make it act. To limit it, set{' '}
          <code>{provider}.groupPolicy</code> to <code>&quot;allowlist&quot;</code> in{' '}
          <code>{configPath}</code>.
        </p>
      )}
      {groupPolicy === 'allowlist' && (
        <p data-testid="group-allow-from">
          Who may trigger it:{' '}
          {groupAllowFrom.length === 0 ? (
            <>
              only you (add ids to <code>{provider}.groupAllowFrom</code> to allow others)
            </>
          ) : groupAllowFrom.includes('*') ? (
            <>
              everyone in the group (<code>{provider}.groupAllowFrom</code> lists &quot;*&quot;)
            </>
          ) : (
            <>
              you, and{' '}
              {groupAllowFrom.map((id, index) => (
                <span key={id}>
                  {index > 0 && ', '}
                  <code>{id}</code>
                </span>
              ))}{' '}
              (from <code>{provider}.groupAllowFrom</code>)
            </>
          )}
        </p>
      )}
      {groupPolicy !== 'disabled' && groupEntries.length === 0 && (
        <p className="muted">
          No groups are listed, so the bot may act in any group it is in, when mentioned. List
          groups under <code>{provider}.groups</code> to restrict it.
        </p>
      )}
      <AllowlistEntries entries={groupEntries} configPath={configPath} testId="group-entries" />
    </section>
  );
}
