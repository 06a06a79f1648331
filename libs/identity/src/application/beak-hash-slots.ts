import { BeakHashingBusy } from '../domain/identity.errors';

/**
 * At most `concurrency` beak hashes at once, at most `queue` waiting for a slot, and a refusal
 * beyond that: each scrypt hash holds 128 MiB at the default cost for a few hundred milliseconds,
 * so hashes that only piled up would exhaust memory and make every login slow. The refusal says
 * when a slot is likely free, from how long hashes have been taking.
 */
export class BeakHashSlots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** Moving average of a hash's duration, in milliseconds. */
  private averageMs = 250;

  constructor(
    readonly concurrency: number,
    readonly queue: number,
  ) {}

  static unlimited(): BeakHashSlots {
    return new BeakHashSlots(Number.MAX_SAFE_INTEGER, 0);
  }

  async run<T>(hash: () => Promise<T>): Promise<T> {
    if (this.running < this.concurrency) {
      this.running += 1;
    } else {
      if (this.waiting.length >= this.queue) throw new BeakHashingBusy(this.retryAfterSeconds());
      // The slot is handed over by the hash that frees it, so `running` stays as it is.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    const started = performance.now();
    try {
      return await hash();
    } finally {
      this.averageMs = 0.8 * this.averageMs + 0.2 * (performance.now() - started);
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  private retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(((this.waiting.length / this.concurrency + 1) * this.averageMs) / 1000));
  }
}
