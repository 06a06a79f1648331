import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** Who asked and why: carried from the request into the metadata of every event it writes. */
export interface RequestContext {
  correlationId: string;
  /** The message that caused this one (a command id, or the event a process manager reacts to). */
  causationId?: string;
  userId?: string;
  traceKey: string;
  /** Within an endpoint marked `@ReadsFrom`: the read models it declares, the only ones it may read. */
  readsFrom?: readonly string[];
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

export function newContext(partial: Partial<RequestContext> = {}): RequestContext {
  const correlationId = partial.correlationId ?? randomUUID();
  return { ...partial, correlationId, traceKey: partial.traceKey ?? randomUUID() };
}
