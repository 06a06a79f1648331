import { ANY, NO_STREAM, STREAM_EXISTS } from '@eventstore/db-client';
import { toActualRevision, toClientExpectedRevision } from './revisions';

describe('EventStoreDB expected revisions', () => {
  it.each([
    ['any', ANY],
    ['no_stream', NO_STREAM],
    ['stream_exists', STREAM_EXISTS],
  ] as const)('%s becomes the client constant %s', (ours, theirs) => {
    expect(toClientExpectedRevision(ours)).toBe(theirs);
  });

  it('an exact revision is sent as the same bigint, including 0 and revisions past 2^53', () => {
    expect(toClientExpectedRevision(0n)).toBe(0n);
    expect(toClientExpectedRevision(41n)).toBe(41n);
    expect(toClientExpectedRevision(2n ** 60n)).toBe(2n ** 60n);
  });

  it('a negative revision is refused before it reaches the server', () => {
    expect(() => toClientExpectedRevision(-1n)).toThrow(RangeError);
  });

  it('the actual revision of a conflict is a bigint, or no_stream however the client says it', () => {
    expect(toActualRevision(NO_STREAM)).toBe('no_stream');
    expect(toActualRevision(-1n)).toBe('no_stream');
    expect(toActualRevision(0n)).toBe(0n);
    expect(toActualRevision(7n)).toBe(7n);
  });
});
