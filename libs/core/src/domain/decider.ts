/**
 * An aggregate as three pure functions. No Nest, no database, no clock, no randomness: whatever a
 * decision needs from the outside world (time, new ids, random draws) arrives with the command.
 */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** A domain event as deciders see it: a discriminated union member with plain data. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

/** Put at the end of a `switch` over a union: a case left out no longer compiles. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}

export function fold<Event, State>(decider: Pick<Decider<unknown, Event, State>, 'evolve'>, state: State, events: readonly Event[]): State {
  let current = state;
  for (const event of events) current = decider.evolve(current, event);
  return current;
}
