/**
 * A read that every caller shares with the callers around it, but never with one that started
 * before it called: what it answers is at least as new as the moment of the call. Under load
 * this is one read at a time however many callers there are, each waiting at most two reads.
 */
export class FreshRead<T> {
  private next: Promise<T> | null = null;
  private inFlight: Promise<unknown> = Promise.resolve();

  constructor(private readonly read: () => Promise<T>) {}

  get(): Promise<T> {
    if (this.next) return this.next;
    const next = this.inFlight.then(() => {
      // From here on the read has started: later callers need one of their own.
      this.next = null;
      const read = this.read();
      this.inFlight = read.catch(() => undefined);
      return read;
    });
    this.next = next;
    return next;
  }
}
