import type { Decider } from '../domain/decider';

/**
 * Decider specs that read as specifications:
 *   spec(decider).given([created]).when(complete).then([completed])
 *   spec(decider).given([completed]).when(complete).thenThrows(TaskAlreadyCompleted)
 */
export function spec<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given(events: Event[]) {
      const state = events.reduce((s, e) => decider.evolve(s, e), decider.initialState());
      return {
        when(command: Command) {
          const run = () => decider.decide(command, state);
          return {
            then(expected: Event[]): void {
              expect(run()).toEqual(expected);
            },
            thenThrows(error: (new (...args: any[]) => Error) | { code: string }): void {
              if (typeof error === 'function') {
                expect(run).toThrow(error);
                return;
              }
              let thrown: unknown;
              try {
                run();
              } catch (e) {
                thrown = e;
              }
              expect(thrown).toMatchObject(error);
            },
          };
        },
      };
    },
  };
}
