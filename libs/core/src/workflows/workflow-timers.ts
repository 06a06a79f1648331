import type { Knex } from 'knex';
import type { EventStore, Position } from '@app/eventstore';
import { deterministicId } from '../ids/deterministic-id';
import { type PendingTimer, type TimerFired, WORKFLOW_TIMER_FIRED } from './workflow';

export interface WorkflowTimerRow {
  workflow: string;
  instance_id: string;
  timer_id: string;
  generation: number;
  stream_name: string;
  due_at: Date;
  data: unknown;
  fired_at: Date | null;
  updated_at: Date;
}

/** A timer the poller fired: where its `WorkflowTimerFired` went. */
export interface FiredTimer {
  workflow: string;
  instanceId: string;
  timerId: string;
  generation: number;
  dueAt: string;
  position: Position;
}

const TABLE = 'workflow_timers';

/**
 * The durable timers of every workflow, in `workflow_timers`. The workflow runtime keeps an
 * instance's rows equal to the timers its stream says are pending (`sync`); the poller fires the
 * due ones (`fireDue`). A timer firing is an event: `WorkflowTimerFired` in the instance's timer
 * stream (`workflowTimerStream`), with an id derived from the timer and its generation, so firing it again (after a crash between
 * the append and the row's update, or from a second poller) writes nothing new.
 */
export class WorkflowTimerStore {
  constructor(
    private readonly knex: Knex,
    private readonly store: EventStore,
  ) {}

  /**
   * Makes the instance's rows the pending timers given: new ones are added, ones scheduled again
   * or moved take their new generation and time (and fire again), and the others (cancelled, or
   * fired and since handled) go. A row that fired keeps its mark while the same timer is still
   * pending in the same generation at the same time: the workflow has not handled the firing yet.
   */
  async sync(workflow: string, instanceId: string, streamName: string, pending: readonly PendingTimer[]): Promise<void> {
    await this.syncMany(workflow, [{ instanceId, streamName, pending }]);
  }

  /** `sync` for several instances of one workflow, in one transaction (one delete, one upsert). */
  async syncMany(workflow: string, instances: readonly { instanceId: string; streamName: string; pending: readonly PendingTimer[] }[]): Promise<void> {
    if (instances.length === 0) return;
    await this.knex.transaction(async (trx) => {
      const kept = instances.flatMap(({ instanceId, pending }) => pending.map((timer) => [instanceId, timer.id]));
      await trx.raw(
        `delete from ${TABLE} where workflow = ? and instance_id = any(?::text[])
           and (instance_id, timer_id) not in (select * from unnest(?::text[], ?::text[]))`,
        [workflow, instances.map(({ instanceId }) => instanceId), kept.map(([instanceId]) => instanceId), kept.map(([, timerId]) => timerId)],
      );
      const rows = instances.flatMap(({ instanceId, streamName, pending }) =>
        pending.map((timer) => ({
          workflow,
          instance_id: instanceId,
          timer_id: timer.id,
          generation: timer.generation,
          stream_name: streamName,
          due_at: new Date(timer.at),
          data: JSON.stringify(timer.data ?? null),
        })),
      );
      if (rows.length === 0) return;
      await trx.raw(
        `? on conflict (workflow, instance_id, timer_id) do update
           set generation = excluded.generation, due_at = excluded.due_at, data = excluded.data, stream_name = excluded.stream_name,
               fired_at = null, updated_at = now()
         where ${TABLE}.generation <> excluded.generation or ${TABLE}.due_at <> excluded.due_at`,
        [trx(TABLE).insert(rows)],
      );
    });
  }

  /** The pending timers of one instance (fired or not), earliest first. */
  async timersOf(workflow: string, instanceId: string): Promise<WorkflowTimerRow[]> {
    return this.knex<WorkflowTimerRow>(TABLE).where({ workflow, instance_id: instanceId }).orderBy([{ column: 'due_at' }, { column: 'timer_id' }]);
  }

  /** Whether a timer due at `now` has not fired yet, counting those another poller is firing this moment. */
  async anyDue(now: Date): Promise<boolean> {
    return (await this.knex(TABLE).whereNull('fired_at').where('due_at', '<=', now).first()) !== undefined;
  }

  /**
   * Fires the timers due at `now` (up to `limit`, earliest first): appends each one's
   * `WorkflowTimerFired` to its timer stream, then marks its row fired, under a row lock that
   * other pollers skip (`for update skip locked`), so two pollers never fire one timer at once
   * and a poller that dies mid-way leaves its rows to the next. Resolves to what it fired.
   */
  async fireDue(now: Date, limit = 100): Promise<FiredTimer[]> {
    return this.knex.transaction(async (trx) => {
      const due = await trx<WorkflowTimerRow>(TABLE)
        .whereNull('fired_at')
        .where('due_at', '<=', now)
        .orderBy([{ column: 'due_at' }, { column: 'workflow' }, { column: 'instance_id' }, { column: 'timer_id' }])
        .limit(limit)
        .forUpdate()
        .skipLocked();
      const fired: FiredTimer[] = [];
      for (const row of due) {
        const dueAt = row.due_at.toISOString();
        const event: TimerFired = {
          type: WORKFLOW_TIMER_FIRED,
          data: {
            workflow: row.workflow,
            instanceId: row.instance_id,
            timerId: row.timer_id,
            generation: row.generation,
            dueAt,
            data: row.data ?? null,
            firedAt: now.toISOString(),
          },
        };
        const { position } = await this.store.appendToStream(
          row.stream_name,
          [{ id: timerFiredId(row.workflow, row.instance_id, row.timer_id, row.generation), type: event.type, data: event.data, metadata: { schemaVersion: 1 } }],
          { expectedRevision: 'any' },
        );
        await trx(TABLE).where({ workflow: row.workflow, instance_id: row.instance_id, timer_id: row.timer_id }).update({ fired_at: now, updated_at: trx.fn.now() });
        fired.push({ workflow: row.workflow, instanceId: row.instance_id, timerId: row.timer_id, generation: row.generation, dueAt, position });
      }
      return fired;
    });
  }
}

/** The id of a timer's firing: one per timer and generation, whoever fires it and however often. */
export function timerFiredId(workflow: string, instanceId: string, timerId: string, generation: number): string {
  return deterministicId('workflow-timer-fired', workflow, instanceId, timerId, String(generation));
}
