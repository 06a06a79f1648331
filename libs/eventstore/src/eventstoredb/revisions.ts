import { ANY, type AppendExpectedRevision, type CurrentRevision, NO_STREAM, STREAM_EXISTS } from '@eventstore/db-client';
import type { ActualRevision } from '../errors';
import type { ExpectedRevision } from '../event-store';

/** Our expected revisions name the same four cases as the client's; only a revision is checked. */
export function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      if (expected < 0n) throw new RangeError(`An expected revision cannot be negative: ${expected}`);
      return expected;
  }
}

/**
 * The stream's actual revision as a conflict reports it. Depending on the server version and
 * append path the client says `no_stream` or -1 for a stream that does not exist.
 */
export function toActualRevision(current: CurrentRevision): ActualRevision {
  return current === NO_STREAM || current < 0n ? 'no_stream' : current;
}
