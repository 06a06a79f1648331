import type { EventStore, Position } from '@app/eventstore';

/**
 * Whether a reader (projection or process manager) at `checkpoint` has every event of its types
 * the log holds as of this call: none lies past the checkpoint. An idle reader moves its checkpoint
 * past other events only now and then, so this, not the checkpoint, says it is there; asked after a
 * position was written, it covers every event of those types up to that position.
 */
export async function hasEveryEventOf(log: Pick<EventStore, 'headPosition'>, eventTypes: readonly string[], checkpoint: Position | null): Promise<boolean> {
  const last = await log.headPosition({ eventTypes });
  return last === null || (checkpoint !== null && last <= checkpoint);
}
