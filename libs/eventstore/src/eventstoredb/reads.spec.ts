import { BACKWARDS, END, FORWARDS, START } from '@eventstore/db-client';
import { toClientReadStreamOptions } from './reads';

describe('EventStoreDB stream read options', () => {
  it('read forwards from the start by default, with no limit', () => {
    expect(toClientReadStreamOptions({})).toEqual({ direction: FORWARDS, fromRevision: START });
  });

  it('read backwards from the end by default', () => {
    expect(toClientReadStreamOptions({ direction: 'backwards', maxCount: 2 })).toEqual({ direction: BACKWARDS, fromRevision: END, maxCount: 2 });
  });

  it('start at an exact revision in either direction', () => {
    expect(toClientReadStreamOptions({ fromRevision: 3n, maxCount: 2 })).toEqual({ direction: FORWARDS, fromRevision: 3n, maxCount: 2 });
    expect(toClientReadStreamOptions({ direction: 'backwards', fromRevision: 2n })).toEqual({ direction: BACKWARDS, fromRevision: 2n });
  });

  it('read backwards from the start as EventStoreDB does: just revision 0', () => {
    expect(toClientReadStreamOptions({ direction: 'backwards', fromRevision: 'start' })).toEqual({ direction: BACKWARDS, fromRevision: START });
  });

  it('read forwards from the end as the last event, which EventStoreDB alone would not return', () => {
    expect(toClientReadStreamOptions({ fromRevision: 'end' })).toEqual({ direction: BACKWARDS, fromRevision: END, maxCount: 1 });
    expect(toClientReadStreamOptions({ fromRevision: 'end', maxCount: 0 })).toEqual({ direction: BACKWARDS, fromRevision: END, maxCount: 0 });
  });
});
