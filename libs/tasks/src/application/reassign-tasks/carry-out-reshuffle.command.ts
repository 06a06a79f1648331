import { Command } from '@nestjs/cqrs';
import type { Position } from '@app/eventstore';
import type { ReassignedTasks } from './reassign-tasks.command';

/**
 * Carry out a reshuffle whose start is recorded: the run that started it sends it at once, and the
 * worker's resumer sends it again for a reshuffle whose run stopped half-way.
 */
export class CarryOutReshuffleCommand extends Command<ReassignedTasks> {
  constructor(
    readonly reshuffleId: string,
    /** The position of its TaskReshuffleStarted: the read models are read once they have reached it. */
    readonly startedAt: Position,
    /** The stream it was started in, and is finished in. */
    readonly stream: string,
  ) {
    super();
  }
}
