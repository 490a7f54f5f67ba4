import { migrations } from '../../store/migrations.js';
import { databasePath } from '../../state-layout.js';
import { defineCheck } from '../doctor-context.js';

/** The database's schema against this version's migrations. */
export const checkMigrations = defineCheck(
  'store.migrations',
  'Database schema',
  (context, facts, o) => {
    const file = databasePath(context.stateDir);
    const latest = migrations.at(-1)?.version ?? 0;
    const db = facts.database;
    switch (db.state) {
      case 'missing':
        return o.info(`no database yet: the first start creates ${file}`);
      case 'unreadable':
        return o.error(
          `${file} cannot be read: ${db.error}`,
          `make it yours (\`sudo chown "$(id -un)" ${file}*\`); if it is damaged, move it away (the next start makes a new one, without the old transcripts)`,
        );
      case 'found':
        break;
      default: {
        const unreachable: never = db;
        throw new Error(`unknown database state ${JSON.stringify(unreachable)}`);
      }
    }
    if (db.version > latest) {
      return o.error(
        `schema ${db.version} is newer than this Clawdbot knows (${latest}): a newer version used it`,
        'run the newer Clawdbot, or upgrade this one',
      );
    }
    const pending = migrations.filter((m) => m.version > db.version);
    if (pending.length > 0) {
      return o.warning(
        `schema ${db.version}: ${pending.length} migration${pending.length === 1 ? '' : 's'} pending (${pending.map((m) => `${m.version} ${m.name}`).join('; ')})`,
        '`clawdbot doctor --fix` applies them (so does the next start of any Clawdbot process)',
        true,
      );
    }
    return o.ok(`schema ${db.version}, up to date`);
  },
);
