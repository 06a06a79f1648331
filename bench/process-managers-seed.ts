import { randomUUID } from 'node:crypto';
import type { EventSchemaRegistry } from '@app/core';
import type { EventData, PostgresEventStore } from '@app/eventstore';
import { formatNumber } from './bench-env';
import { type SeedStream, seedPlan } from './rebuild-seed';

/** What the process-manager benchmark seeds: the identity and tasks part of bench:rebuild's plan. */
export interface TaskLog {
  tasks: number;
  /** Events appended (users, reshuffles, tasks). */
  events: number;
  /** Tasks that were reassigned by a reshuffle (the others were completed). */
  reshuffled: number;
}

/**
 * Appends the streams of bench/rebuild-seed.ts's plan that the accounting process managers consume,
 * in the same proportions and with the same data: one admin and the plan's workers (with their
 * role changes), its reshuffles, and per task TaskCreated, TaskAssigned and then either
 * TaskCompleted (even tasks) or a reshuffle's TaskAssigned (odd tasks). The plan's accounting
 * streams (prices, account days) are left out: writing those is what the process managers do.
 * One append per stream, `writers` at a time, as bench:rebuild seeds.
 */
export async function seedTaskLog(store: PostgresEventStore, schemas: EventSchemaRegistry, tasks: number, writers: number): Promise<TaskLog> {
  // bench:rebuild's plan sizes itself by events: six per task (three of tasks, three of accounting),
  // the users and two per reshuffle (one reshuffle per 5,000 tasks).
  const plan = seedPlan(6 * tasks + 111 + 2 * Math.max(1, Math.floor(tasks / 5_000)));
  const streams: SeedStream[] = [];
  for (let index = 0; ; index++) {
    const stream = plan.stream(index);
    // The plan lays out users, reshuffles and tasks first, then the prices and accounts.
    if (!stream || stream.events[0].type === 'TaskPriced' || stream.events[0].type.startsWith('Account')) break;
    streams.push(stream);
  }
  const metadata = { correlationId: randomUUID(), userId: plan.adminId };
  let next = 0;
  let reported = 0;
  const lanes = Array.from({ length: writers }, async () => {
    for (let stream = streams[next++]; stream; stream = streams[next++]) {
      const events: EventData[] = stream.events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata: schemas.stamp(event.type, metadata) }));
      await store.appendToStream(stream.name, events, { expectedRevision: 'no_stream' });
      if (next - reported >= 50_000) {
        reported = next;
        console.log(`  ${formatNumber(next)} streams appended`);
      }
    }
  });
  await Promise.all(lanes);
  const all = streams.flatMap((stream) => stream.events);
  return {
    tasks: all.filter((event) => event.type === 'TaskCreated').length,
    events: all.length,
    reshuffled: all.filter((event) => event.type === 'TaskAssigned' && event.data.reshuffleId !== null).length,
  };
}
