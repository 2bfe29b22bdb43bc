import { type Kysely, type Migration, Migrator } from 'kysely';
import * as m0001 from './migrations/0001_initial.js';
import * as m0002 from './migrations/0002_agents_and_queues.js';
import * as m0003 from './migrations/0003_voice_calls.js';
import * as m0004 from './migrations/0004_interaction_notes.js';
import * as m0005 from './migrations/0005_workflows.js';
import * as m0006 from './migrations/0006_call_in.js';
import * as m0007 from './migrations/0007_recording_tags.js';
import * as m0008 from './migrations/0008_sip_trunks.js';
import * as m0009 from './migrations/0009_phone_registrations.js';
import * as m0010 from './migrations/0010_call_me_default.js';
import * as m0012 from './migrations/0012_sip_dialogs.js';
import * as m0013 from './migrations/0013_login_throttle_pending.js';
import * as m0014 from './migrations/0014_chosen_outcome.js';
import * as m0015 from './migrations/0015_transfer_pools_announcements.js';
import * as m0016 from './migrations/0016_transfers.js';
import * as m0017 from './migrations/0017_directory.js';
import * as m0018 from './migrations/0018_placed_calls.js';
import * as m0019 from './migrations/0019_leads.js';
import * as m0020 from './migrations/0020_lead_import.js';
import * as m0021 from './migrations/0021_lead_manager.js';
import * as m0022 from './migrations/0022_lead_fields_order.js';
import * as m0023 from './migrations/0023_lead_ready.js';
import * as m0024 from './migrations/0024_lead_import_speed.js';
import * as m0025 from './migrations/0025_predictive.js';
import * as m0026 from './migrations/0026_next_lead.js';
import * as m0027 from './migrations/0027_chat.js';
import * as m0028 from './migrations/0028_email.js';

/** The one migration set, for PGlite and a PostgreSQL server alike. Add new files here in order. */
const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_agents_and_queues': m0002,
  '0003_voice_calls': m0003,
  '0004_interaction_notes': m0004,
  '0005_workflows': m0005,
  '0006_call_in': m0006,
  '0007_recording_tags': m0007,
  '0008_sip_trunks': m0008,
  '0009_phone_registrations': m0009,
  '0010_call_me_default': m0010,
  '0012_sip_dialogs': m0012,
  '0013_login_throttle_pending': m0013,
  '0014_chosen_outcome': m0014,
  '0015_transfer_pools_announcements': m0015,
  '0016_transfers': m0016,
  '0017_directory': m0017,
  '0018_placed_calls': m0018,
  '0019_leads': m0019,
  '0020_lead_import': m0020,
  '0021_lead_manager': m0021,
  '0022_lead_fields_order': m0022,
  '0023_lead_ready': m0023,
  '0024_lead_import_speed': m0024,
  '0025_predictive': m0025,
  '0026_next_lead': m0026,
  '0027_chat': m0027,
  '0028_email': m0028,
};

export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
