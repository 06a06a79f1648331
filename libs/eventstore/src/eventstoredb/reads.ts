import { BACKWARDS, END, FORWARDS, type ReadStreamOptions as ClientReadStreamOptions, START } from '@eventstore/db-client';
import type { ReadStreamOptions } from '../event-store';

/**
 * The client's stream-read options for ours. Both start inclusive at a revision and read
 * backwards from `start` as just revision 0; the one difference is reading forwards from `end`,
 * which returns nothing on EventStoreDB but the last event in our port (as in PostgreSQL), so
 * that case reads backwards one event from the end instead.
 */
export function toClientReadStreamOptions(options: ReadStreamOptions): ClientReadStreamOptions {
  const backwards = options.direction === 'backwards';
  const from = options.fromRevision ?? (backwards ? 'end' : 'start');
  if (from === 'end' && !backwards) {
    return { direction: BACKWARDS, fromRevision: END, maxCount: Math.min(1, options.maxCount ?? 1) };
  }
  return {
    direction: backwards ? BACKWARDS : FORWARDS,
    fromRevision: from === 'start' ? START : from === 'end' ? END : from,
    ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
  };
}
