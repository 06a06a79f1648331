import { ApiProperty } from '@nestjs/swagger';
import type { TaskPage } from '../application/list-tasks/list-tasks.query';
import { TASK_STATUSES, type TaskStatus, type TaskView } from '../application/task-view';

const POSITION = 'Event-store position of the last event written; pass it as ?after= to read your write';

export class CreatedTaskResponse {
  @ApiProperty({ format: 'uuid' })
  taskId!: string;

  @ApiProperty({ format: 'uuid', description: 'The worker drawn at random' })
  assigneeId!: string;

  @ApiProperty({ description: POSITION })
  position!: string;
}

export class ReassignedTasksResponse {
  @ApiProperty({ description: 'Open tasks given a random worker' })
  reassigned!: number;

  @ApiProperty({ description: POSITION })
  position!: string;
}

export class CompletedTaskResponse {
  @ApiProperty({ format: 'uuid' })
  taskId!: string;

  @ApiProperty({ description: POSITION })
  position!: string;
}

export class TaskResponse implements TaskView {
  @ApiProperty({ format: 'uuid' })
  taskId!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ type: String, nullable: true, example: 'POPUG-12' })
  jiraId!: string | null;

  @ApiProperty()
  description!: string;

  @ApiProperty({ enum: TASK_STATUSES })
  status!: TaskStatus;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  assigneeId!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt!: string | null;
}

export class TaskPageResponse implements TaskPage {
  @ApiProperty({ type: TaskResponse, isArray: true })
  items!: TaskResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page' })
  nextCursor!: string | null;
}
