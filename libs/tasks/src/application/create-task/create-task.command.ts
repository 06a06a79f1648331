import { Command } from '@nestjs/cqrs';
import type { Position } from '@app/eventstore';

export interface CreatedTask {
  taskId: string;
  assigneeId: string;
  position: Position;
}

export class CreateTaskCommand extends Command<CreatedTask> {
  constructor(
    readonly title: string,
    readonly jiraId: string | null,
    readonly description: string,
  ) {
    super();
  }
}
