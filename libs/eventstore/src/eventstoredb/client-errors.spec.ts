import {
  AccessDeniedError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError as ClientWrongExpectedVersionError,
} from '@eventstore/db-client';
import { EventStoreUnavailableError, WrongExpectedVersionError } from '../errors';
import {
  describeError,
  isStreamNotFound,
  isTransient,
  redactConnectionString,
  SubscriptionDroppedError,
  translateAppendError,
  translateError,
} from './client-errors';

const GRPC_UNAVAILABLE =
  '14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:2113. Resolution note: ';

function clientConflict(expected: bigint | 'any' | 'no_stream' | 'stream_exists', current: bigint | 'no_stream') {
  return new ClientWrongExpectedVersionError(undefined, { streamName: 'orders-1', expected, current });
}

describe('EventStoreDB error translation', () => {
  it.each([
    [0n, 2n, 2n],
    ['no_stream', 1n, 1n],
    [3n, 'no_stream', 'no_stream'],
    ['stream_exists', 'no_stream', 'no_stream'],
    ['any', -1n, 'no_stream'],
  ] as const)('a conflict expecting %s at actual %s becomes ours, carrying expected and actual', (expected, current, actual) => {
    const error = translateAppendError(clientConflict(expected, current), 'orders-1', expected);
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamName: 'orders-1', expected, actual });
    expect((error as Error).message).toBe(`Stream "orders-1" expected at revision ${String(expected)}, actual ${String(actual)}`);
  });

  it('reports the expected revision that was sent, whatever the client read back', () => {
    const error = translateAppendError(clientConflict(-4n, 0n), 'orders-1', 'stream_exists');
    expect(error).toMatchObject({ expected: 'stream_exists', actual: 0n });
  });

  it('an unreachable server becomes EventStoreUnavailableError; other errors pass unchanged', () => {
    const unavailable = translateError(new UnavailableError(undefined, GRPC_UNAVAILABLE));
    expect(unavailable).toBeInstanceOf(EventStoreUnavailableError);
    expect((unavailable as Error).message).toBe('EventStoreDB unreachable: connect ECONNREFUSED 127.0.0.1:2113');
    expect(translateAppendError(new UnavailableError(undefined, GRPC_UNAVAILABLE), 's', 'any')).toBeInstanceOf(EventStoreUnavailableError);
    const denied = new AccessDeniedError();
    expect(translateError(denied)).toBe(denied);
    const bug = new TypeError('x is undefined');
    expect(translateAppendError(bug, 's', 'any')).toBe(bug);
  });

  it('retries after drops and outages, not after refusals or bugs', () => {
    expect(isTransient(new UnavailableError())).toBe(true);
    expect(isTransient(new SubscriptionDroppedError('ended'))).toBe(true);
    expect(isTransient(new EventStoreUnavailableError('down'))).toBe(true);
    expect(isTransient(new AccessDeniedError())).toBe(false);
    expect(isTransient(clientConflict(0n, 1n))).toBe(false);
    expect(isTransient(new TypeError('bug'))).toBe(false);
    expect(isTransient('not an error')).toBe(false);
  });

  it('recognises a missing stream', () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 'orders-1'))).toBe(true);
    expect(isStreamNotFound(new UnavailableError())).toBe(false);
  });

  describe('describeError', () => {
    it('keeps the cause of a gRPC failure, on one line', () => {
      expect(describeError(new UnavailableError(undefined, GRPC_UNAVAILABLE))).toBe('connect ECONNREFUSED 127.0.0.1:2113');
      expect(describeError(new Error('12 UNIMPLEMENTED: Received HTTP status code 404'))).toBe('Received HTTP status code 404');
      expect(describeError(new Error('Unexpected "n" at position 0,\nexpected esdb://'))).toBe('Unexpected "n" at position 0, expected esdb://');
    });

    it('names an error that carries no message', () => {
      expect(describeError(new AccessDeniedError())).toBe('access-denied');
      expect(describeError(new Error(''))).toBe('unknown error');
    });
  });

  it('hides the password of a connection string', () => {
    expect(redactConnectionString('esdb://admin:changeit@db:2113?tls=true')).toBe('esdb://admin:***@db:2113?tls=true');
    expect(redactConnectionString('esdb+discover://ops:p%40ss@cluster.local:2113')).toBe('esdb+discover://ops:***@cluster.local:2113');
    expect(redactConnectionString('esdb://127.0.0.1:2113?tls=false')).toBe('esdb://127.0.0.1:2113?tls=false');
  });
});
