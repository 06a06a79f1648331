import type { Knex } from 'knex';
import * as eventStore from './001_event_store';
import * as projectionRuntime from './002_projection_runtime';
import * as processManagers from './003_process_managers';
import * as groupedAppends from './004_event_store_grouped_appends';
import * as eventTypeIndex from './005_event_type_index';
import * as processManagerWrites from './006_process_manager_writes';
import * as workflowTimers from './007_workflow_timers';
import * as processManagerSkips from './008_process_manager_skips';
import * as idempotencyKeys from './009_idempotency_keys';
import * as ticketing from './010_ticketing';
import * as eventCausationIndex from './011_event_causation_index';

export interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Every migration, in the order it runs. A new one is added at the end, never edited once shipped. */
export const migrations: Migration[] = [
  { name: '001_event_store', ...eventStore },
  { name: '002_projection_runtime', ...projectionRuntime },
  { name: '003_process_managers', ...processManagers },
  { name: '004_event_store_grouped_appends', ...groupedAppends },
  { name: '005_event_type_index', ...eventTypeIndex },
  { name: '006_process_manager_writes', ...processManagerWrites },
  { name: '007_workflow_timers', ...workflowTimers },
  { name: '008_process_manager_skips', ...processManagerSkips },
  { name: '009_idempotency_keys', ...idempotencyKeys },
  { name: '010_ticketing', ...ticketing },
  { name: '011_event_causation_index', ...eventCausationIndex },
];
