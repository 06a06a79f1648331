import { Command } from '@nestjs/cqrs';
import type { Position } from '@app/eventstore';

export interface ReassignedTasks {
  /** Open tasks this run gave a (new) random worker. */
  reassigned: number;
  position: Position;
}

/** Every open task to a random worker. */
export class ReassignTasksCommand extends Command<ReassignedTasks> {
  constructor(readonly requestedBy: string) {
    super();
  }
}
