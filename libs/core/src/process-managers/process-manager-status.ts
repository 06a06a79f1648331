import type { FactoryProvider, INestApplicationContext } from '@nestjs/common';
import type { Knex } from 'knex';
import { EVENT_STORE, type EventStore, type Position } from '@app/eventstore';
import type { PlatformConfig } from '../config/config';
import { CONTEXTS, type ContextDefinition } from '../nest/context';
import { KNEX, PLATFORM_CONFIG } from '../nest/tokens';
import { type PendingEventCounter, postgresCounter, readingCounter } from '../projections/pending-events';
import { workflowOptionsOf, workflowProcessManagerOptions } from '../workflows/workflow';
import { type ProcessManagerOptions, processManagerOptionsOf } from './process-manager';
import { type ProcessManagerCheckpointRow, ProcessManagerStore } from './process-manager-store';

export type ProcessManagerStatus = 'running' | 'retrying' | 'catching_up';

export interface ProcessManagerReport {
  name: string;
  status: ProcessManagerStatus;
  /** The last event it has handled (and every one before it); null before the first. */
  position: Position | null;
  lagEvents: number;
  lagSeconds: number;
  /** Failed attempts in a row at the event it is retrying (0 when it is not stuck on one). */
  attempts: number;
  lastError: string | null;
  /** The event it is retrying, and whether an operator asked to skip it. */
  failingEvent: { eventId: string; type: string; position: Position; skipRequested: boolean } | null;
}

/**
 * Above this many events of its types waiting, or with the oldest of them waiting longer than
 * `CATCHING_UP_SECONDS`, a process manager is `catching_up`. A live one always has a few in hand
 * (up to a batch, 100 by default, for a moment), which is still keeping up; projections say
 * `running` only at no lag, since their checkpoint moves with every batch they apply.
 */
export const CATCHING_UP_EVENTS = 100;
export const CATCHING_UP_SECONDS = 5;

/** What each process manager is doing and how far behind it is, for /process-managers, /metrics and the CLI. */
export class ProcessManagerStatusReader {
  constructor(
    private readonly countPending: PendingEventCounter,
    private readonly checkpoints: ProcessManagerStore,
    private readonly definitions: readonly Pick<ProcessManagerOptions, 'name' | 'eventTypes'>[],
  ) {}

  /** Every process manager it knows, in the order given; one whose worker never started has no checkpoint yet and lags by every event of its types. */
  async report(): Promise<ProcessManagerReport[]> {
    const rows = new Map((await this.checkpoints.checkpoints()).map((row) => [row.name, row]));
    return Promise.all(this.definitions.map((definition) => this.reportOf(definition, rows.get(definition.name))));
  }

  /** Whether one of its process managers has that name. */
  has(name: string): boolean {
    return this.definitions.some((definition) => definition.name === name);
  }

  get names(): string[] {
    return this.definitions.map((definition) => definition.name);
  }

  private async reportOf(definition: Pick<ProcessManagerOptions, 'name' | 'eventTypes'>, row: ProcessManagerCheckpointRow | undefined): Promise<ProcessManagerReport> {
    const position = row?.position ?? null;
    const pending = await this.countPending(position, definition.eventTypes);
    const lagEvents = pending.count;
    const lagSeconds = lagEvents === 0 || !pending.oldestRecordedAt ? 0 : Math.max(0, (Date.now() - pending.oldestRecordedAt.getTime()) / 1000);
    const attempts = row?.attempts ?? 0;
    const status: ProcessManagerStatus =
      attempts > 0 ? 'retrying' : lagEvents > CATCHING_UP_EVENTS || lagSeconds > CATCHING_UP_SECONDS ? 'catching_up' : 'running';
    const failing = row && attempts > 0 && row.failing_event_id !== null ? row : null;
    return {
      name: definition.name,
      status,
      position,
      lagEvents,
      lagSeconds,
      attempts,
      lastError: row?.last_error ?? null,
      failingEvent: failing
        ? {
            eventId: failing.failing_event_id!,
            type: failing.failing_event_type ?? '',
            position: failing.failing_position!,
            skipRequested: failing.skip_event_id === failing.failing_event_id,
          }
        : null,
    };
  }
}

function createReader(contexts: readonly ContextDefinition[], config: PlatformConfig, knex: Knex, store: EventStore, checkpoints: ProcessManagerStore) {
  const counter = config.eventStore === 'postgres' ? postgresCounter(knex) : readingCounter(store);
  // A workflow runs as a process manager of its name, so it is listed (and skipped) as one.
  const definitions = contexts.flatMap((context) => [
    ...context.processManagers.map((type) => processManagerOptionsOf(type)),
    ...context.workflows.map((type) => workflowProcessManagerOptions(workflowOptionsOf(type))),
  ]);
  return new ProcessManagerStatusReader(counter, checkpoints, definitions);
}

/** The reader of the process managers (and workflows) of the app's contexts (`CONTEXTS`), for a module's providers. */
export const processManagerStatusProvider: FactoryProvider<ProcessManagerStatusReader> = {
  provide: ProcessManagerStatusReader,
  inject: [CONTEXTS, PLATFORM_CONFIG, KNEX, EVENT_STORE, ProcessManagerStore],
  useFactory: createReader,
};

/** The same reader, made from a running app's platform (the CLI's). */
export function processManagerStatusReaderFrom(app: INestApplicationContext): ProcessManagerStatusReader {
  return createReader(app.get(CONTEXTS), app.get(PLATFORM_CONFIG), app.get(KNEX), app.get(EVENT_STORE), app.get(ProcessManagerStore));
}
