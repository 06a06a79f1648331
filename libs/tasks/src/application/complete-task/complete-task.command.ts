import { Command } from '@nestjs/cqrs';
import type { Position } from '@app/eventstore';

export interface CompletedTask {
  taskId: string;
  position: Position;
}

export class CompleteTaskCommand extends Command<CompletedTask> {
  constructor(
    readonly taskId: string,
    /** Who asks: only the assignee may complete. */
    readonly userId: string,
  ) {
    super();
  }
}
