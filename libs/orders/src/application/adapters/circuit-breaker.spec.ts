import { CircuitBreaker, CircuitBreakers } from './circuit-breaker';

describe('CircuitBreaker', () => {
  let now = 0;
  const breaker = () => new CircuitBreaker({ failures: 3, openMs: 1000, now: () => now });

  beforeEach(() => {
    now = 0;
  });

  function fail(circuit: CircuitBreaker, times: number): void {
    for (let i = 0; i < times; i++) circuit.record(circuit.acquire()!, false);
  }

  it('stays closed below the failures in a row, and a success starts the count again', () => {
    const circuit = breaker();
    fail(circuit, 2);
    circuit.record(circuit.acquire()!, true);
    fail(circuit, 2);
    expect(circuit.state()).toBe('closed');
    expect(circuit.acquire()).toEqual({ trial: false });
  });

  it('opens after that many failures in a row and refuses every request while open', () => {
    const circuit = breaker();
    fail(circuit, 3);
    expect(circuit.state()).toBe('open');
    now = 999;
    expect(circuit.acquire()).toBeNull();
    expect(circuit.remainingOpenMs()).toBe(1);
  });

  it('half-opens after the open time with one trial; its success closes it', () => {
    const circuit = breaker();
    fail(circuit, 3);
    now = 1000;
    expect(circuit.state()).toBe('half_open');
    const trial = circuit.acquire();
    expect(trial).toEqual({ trial: true });
    expect(circuit.acquire()).toBeNull();
    circuit.record(trial!, true);
    expect(circuit.state()).toBe('closed');
    expect(circuit.acquire()).toEqual({ trial: false });
  });

  it('a failed trial opens it for the whole open time again', () => {
    const circuit = breaker();
    fail(circuit, 3);
    now = 1500;
    circuit.record(circuit.acquire()!, false);
    expect(circuit.state()).toBe('open');
    now = 2499;
    expect(circuit.acquire()).toBeNull();
    now = 2500;
    expect(circuit.acquire()).toEqual({ trial: true });
  });

  it('a request let through before it opened does not close it by succeeding late', () => {
    const circuit = breaker();
    const straggler = circuit.acquire()!;
    fail(circuit, 3);
    circuit.record(straggler, true);
    expect(circuit.state()).toBe('open');
  });

  it('keeps one circuit per provider', () => {
    const circuits = new CircuitBreakers({ failures: 1, openMs: 1000, now: () => now });
    circuits.of('a').record(circuits.of('a').acquire()!, false);
    expect(circuits.of('b').acquire()).toEqual({ trial: false });
    expect(circuits.states()).toEqual([
      ['a', 'open'],
      ['b', 'closed'],
    ]);
  });
});
