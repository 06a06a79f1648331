import type { ExpectedRevision } from './event-store';

export type ActualRevision = bigint | 'no_stream';

/** The stream was not at the revision the writer expected: someone else wrote first. */
export class WrongExpectedVersionError extends Error {
  override readonly name = 'WrongExpectedVersionError';

  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    readonly actual: ActualRevision,
  ) {
    super(`Stream "${streamName}" expected at revision ${String(expected)}, actual ${String(actual)}`);
  }
}

/** The same event id was already written somewhere that makes this append not a retry of it. */
export class DuplicateEventIdError extends Error {
  override readonly name = 'DuplicateEventIdError';

  constructor(
    readonly streamName: string,
    readonly eventId: string,
  ) {
    super(`Event ${eventId} was already appended, but not as this same append to stream "${streamName}"`);
  }
}

/** The event store cannot be reached or refused the connection settings. */
export class EventStoreUnavailableError extends Error {
  override readonly name = 'EventStoreUnavailableError';
}
