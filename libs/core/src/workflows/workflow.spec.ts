import type { DomainEvent } from '../domain/decider';
import type { Workflow } from './workflow';
import { timerFired, workflowSpec } from './workflow-spec';

type Placed = DomainEvent<'Placed', { id: string; until: string }>;
type Extended = DomainEvent<'Extended', { id: string; until: string }>;
type Confirmed = DomainEvent<'Confirmed', { id: string }>;
type Expire = { type: 'Expire'; id: string };

/** A hold that expires at its deadline unless confirmed first; extending it moves the deadline. */
const hold: Workflow<Placed | Extended | Confirmed, { id: string | null; open: boolean }, Expire> = {
  initialState: () => ({ id: null, open: false }),
  decide(event, state) {
    switch (event.type) {
      case 'Placed':
      case 'Extended':
        return { schedule: [{ id: 'expire', at: event.data.until }] };
      case 'Confirmed':
        return { cancel: ['expire'] };
      case 'WorkflowTimerFired':
        return state.open ? { commands: [{ type: 'Expire', id: state.id! }] } : {};
      default:
        return {};
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'Placed':
        return { id: event.data.id, open: true };
      case 'Confirmed':
      case 'WorkflowTimerFired':
        return { ...state, open: false };
      default:
        return state;
    }
  },
};

const placed: Placed = { type: 'Placed', data: { id: 'h1', until: '2030-01-01T10:10:00.000Z' } };

describe('workflows, given/when/then', () => {
  it('sets a timer for an input and sends a command when it fires', () => {
    workflowSpec(hold).given([]).when(placed).then({ schedule: [{ id: 'expire', at: '2030-01-01T10:10:00.000Z' }] });
    workflowSpec(hold).given([placed]).when(timerFired('expire', '2030-01-01T10:10:00.000Z')).then({ commands: [{ type: 'Expire', id: 'h1' }] });
    workflowSpec(hold).given([placed]).when(timerFired('expire', '2030-01-01T10:10:00.000Z')).thenTimers({});
  });

  it('a timer cancelled before it fired is as if it never fired: not decided, not evolved', () => {
    const confirmed: Confirmed = { type: 'Confirmed', data: { id: 'h1' } };
    workflowSpec(hold).given([placed]).when(confirmed).thenTimers({});
    workflowSpec(hold).given([placed, confirmed]).when(timerFired('expire', '2030-01-01T10:10:00.000Z')).thenNothing();
  });

  it('a timer moved before it fired fires for its new schedule only', () => {
    const extended: Extended = { type: 'Extended', data: { id: 'h1', until: '2030-01-01T10:20:00.000Z' } };
    workflowSpec(hold).given([placed]).when(extended).thenTimers({ expire: '2030-01-01T10:20:00.000Z' });
    // The first schedule's firing, appended after the extension: stale.
    workflowSpec(hold).given([placed, extended]).when(timerFired('expire', '2030-01-01T10:10:00.000Z', { generation: 1 })).thenNothing();
    workflowSpec(hold).given([placed, extended]).when(timerFired('expire', '2030-01-01T10:20:00.000Z')).then({ commands: [{ type: 'Expire', id: 'h1' }] });
    workflowSpec(hold).given([placed, extended]).when(timerFired('expire', '2030-01-01T10:20:00.000Z')).thenState({ id: 'h1', open: false });
  });
});
