import type { Decider } from '../domain/decider';
import { DomainError } from '../errors/domain-error';
import { spec } from './given-when-then';

type Command = { type: 'Open' } | { type: 'Close' };
type Event = { type: 'Opened'; data: Record<string, never> } | { type: 'Closed'; data: Record<string, never> };

class AlreadyClosed extends DomainError {
  constructor() {
    super('ALREADY_CLOSED', 'The door is already closed', 409);
  }
}

const door: Decider<Command, Event, { open: boolean }> = {
  initialState: () => ({ open: false }),
  evolve: (_state, event) => ({ open: event.type === 'Opened' }),
  decide(command, state) {
    if (command.type === 'Open') return state.open ? [] : [{ type: 'Opened', data: {} }];
    if (!state.open) throw new AlreadyClosed();
    return [{ type: 'Closed', data: {} }];
  },
};

describe('given/when/then for deciders', () => {
  it('then compares the decided events', () => {
    spec(door).given([]).when({ type: 'Open' }).then([{ type: 'Opened', data: {} }]);
    spec(door).given([{ type: 'Opened', data: {} }]).when({ type: 'Open' }).then([]);
  });

  it('thenThrows accepts an error class or the stable code', () => {
    spec(door).given([]).when({ type: 'Close' }).thenThrows(AlreadyClosed);
    spec(door).given([{ type: 'Opened', data: {} }, { type: 'Closed', data: {} }]).when({ type: 'Close' }).thenThrows({ code: 'ALREADY_CLOSED' });
  });

  it('fails when the decider decides something else', () => {
    expect(() => spec(door).given([]).when({ type: 'Open' }).then([])).toThrow();
    expect(() => spec(door).given([]).when({ type: 'Open' }).thenThrows({ code: 'ALREADY_CLOSED' })).toThrow();
  });
});
