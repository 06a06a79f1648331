/** A provider's circuit: `closed` lets every request through, `open` none, `half_open` one trial. */
export type CircuitState = 'closed' | 'half_open' | 'open';

export interface CircuitOptions {
  /** Failures in a row that open the circuit (ORDERS_CIRCUIT_FAILURES). */
  failures: number;
  /** How long it stays open before it lets one trial through (ORDERS_CIRCUIT_OPEN_MS). */
  openMs: number;
  /** Milliseconds on a clock that only moves forwards (performance.now in the adapter). */
  now: () => number;
}

/** Leave to make one request; give it back to `record` with its outcome. */
export interface Permit {
  readonly trial: boolean;
}

/**
 * One provider's circuit breaker. After `failures` failed calls in a row (each after its quick retries) it opens: `acquire`
 * refuses every request for `openMs`. Then it is half-open: the first `acquire` gets the one trial
 * permit (the others are still refused while it runs); the trial's success closes the circuit, its
 * failure opens it for `openMs` again. An outcome of a request that got its permit before the
 * circuit opened (a straggler) changes nothing while it is open: only the trial decides.
 */
export class CircuitBreaker {
  private failuresInARow = 0;
  private openedAt: number | null = null;
  private trialRunning = false;

  constructor(private readonly options: CircuitOptions) {}

  state(): CircuitState {
    if (this.openedAt === null) return 'closed';
    return this.options.now() - this.openedAt < this.options.openMs ? 'open' : 'half_open';
  }

  /** A permit for one request, or null when the circuit refuses it (open, or half-open with its trial running). */
  acquire(): Permit | null {
    const state = this.state();
    if (state === 'closed') return { trial: false };
    if (state === 'open' || this.trialRunning) return null;
    this.trialRunning = true;
    return { trial: true };
  }

  /** The outcome of a permitted request: `healthy` when the provider answered as a working service does. */
  record(permit: Permit, healthy: boolean): void {
    if (permit.trial) {
      this.trialRunning = false;
      if (healthy) this.close();
      else this.open();
      return;
    }
    if (this.openedAt !== null) return;
    if (healthy) {
      this.failuresInARow = 0;
      return;
    }
    this.failuresInARow += 1;
    if (this.failuresInARow >= this.options.failures) this.open();
  }

  /** How long until an open circuit lets its trial through (0 when it is not open). */
  remainingOpenMs(): number {
    if (this.openedAt === null) return 0;
    return Math.max(0, Math.ceil(this.openedAt + this.options.openMs - this.options.now()));
  }

  private open(): void {
    this.openedAt = this.options.now();
    this.failuresInARow = 0;
  }

  private close(): void {
    this.openedAt = null;
    this.failuresInARow = 0;
  }
}

/** The circuit breakers of every provider, one per provider id, made on first use. */
export class CircuitBreakers {
  private readonly byProvider = new Map<string, CircuitBreaker>();

  constructor(private readonly options: CircuitOptions) {}

  of(providerId: string): CircuitBreaker {
    let breaker = this.byProvider.get(providerId);
    if (!breaker) {
      breaker = new CircuitBreaker(this.options);
      this.byProvider.set(providerId, breaker);
    }
    return breaker;
  }

  /** Each provider called so far, with its circuit's state now. */
  states(): Array<[providerId: string, state: CircuitState]> {
    return [...this.byProvider].map(([providerId, breaker]) => [providerId, breaker.state()]);
  }
}
