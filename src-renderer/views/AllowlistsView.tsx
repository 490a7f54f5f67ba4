import { ProviderAccessCard } from '../components/ProviderAccessCard.js';
import { useApp } from '../state/store-context.js';

/** Who may reach the bot, per provider, and where each permission comes from. */
export function AllowlistsView() {
  const overview = useApp((s) => s.allowlists);
  if (!overview) return <p>Loading…</p>;
  return (
    <div className="stack" data-testid="allowlists-view">
      {overview.providers.map((access) => (
        <ProviderAccessCard
          key={access.provider}
          access={access}
          configPath={overview.configPath}
        />
      ))}
    </div>
  );
}
