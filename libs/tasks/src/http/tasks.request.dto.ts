import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { ConsistentQuery, QueryInteger, Text } from '@app/core';
import { TASK_STATUSES, type TaskStatus } from '../application/task-view';

export class CreateTaskRequest {
  @Text({
    maxLength: 200,
    pattern: /^[^[\]]*$/,
    patternMessage: 'must not contain [ or ]: put the jira id in jiraId',
    example: 'fix login',
    description: 'Without the jira id: `[` and `]` are refused, the id goes in jiraId',
  })
  title!: string;

  @Text({
    optional: true,
    maxLength: 64,
    pattern: /^[A-Za-z][A-Za-z0-9_]*-[0-9]+$/,
    patternMessage: 'must be a Jira issue key such as POPUG-12',
    example: 'POPUG-12',
    description: 'A Jira issue key',
  })
  jiraId?: string;

  @Text({ maxLength: 5000, multiline: true, allowBlank: true, example: 'The beak scanner times out after the second attempt' })
  description!: string;
}

export class TaskIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  taskId!: string;
}

/** `?status=`, for the board and for one's own tasks. */
export class TaskStatusQuery extends ConsistentQuery {
  @ApiPropertyOptional({ enum: TASK_STATUSES })
  @IsOptional()
  @IsIn(TASK_STATUSES)
  status?: TaskStatus;
}

/** Page sizes of every task list (the API's paging convention). */
export const TASK_PAGE_SIZE = { minimum: 1, maximum: 500, default: 50 } as const;

/** `?status=&limit=&cursor=`: one page of a task list, newest first. */
export class TaskPageQuery extends TaskStatusQuery {
  @QueryInteger({ ...TASK_PAGE_SIZE, description: 'Tasks per page' })
  limit?: number;

  @Text({
    optional: true,
    maxLength: 64,
    pattern: /^[A-Za-z0-9_-]+$/,
    patternMessage: 'must be a nextCursor this API returned',
    description: 'The nextCursor of the previous page',
  })
  cursor?: string;
}

export class ListTasksRequest extends TaskPageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  assigneeId?: string;
}
