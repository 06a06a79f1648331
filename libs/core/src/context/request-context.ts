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
  /**
   * Within such an endpoint asked `?after=`: resolves once its read models have reached that
   * position (one wait per request, begun at the first call); the handler runs after it.
   */
  readsAfter?: () => Promise<void>;
  /**
   * Within a reaction (a process manager handling one event): what the commands it ran wrote, so
   * the runtime can tell read-your-writes how far a read model must get to show that reaction.
   */
  writes?: ReactionWrites;
  /** Within a reaction: the process manager (or workflow) handling the event. A wait it does is not for itself. */
  reaction?: string;
  /**
   * Within a reaction: the last position of the batch its event came in. The log had reached it
   * before the reaction began, so whatever the reaction reads was read after every event up to it
   * was recorded (a handler may cache a fact read now as true for all of them).
   */
  deliveredUpTo?: string;
}

/** What the commands run while handling one event wrote (or found already written, on a redelivery). */
export interface ReactionWrites {
  /** The highest position among them; null while none ran. */
  upTo: string | null;
  /** The event types they appended. */
  types: Set<string>;
}

/** Notes a command's outcome in the current reaction's `writes`, if the command runs inside one. */
export function noteWrites(position: string | null, types: readonly string[]): void {
  const writes = storage.getStore()?.writes;
  if (!writes) return;
  if (position !== null && (writes.upTo === null || position > writes.upTo)) writes.upTo = position;
  for (const type of types) writes.types.add(type);
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
