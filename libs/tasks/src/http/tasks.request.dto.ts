import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { ConsistentQuery } from '@app/core';
import { TASK_STATUSES, type TaskStatus } from '../application/task-view';

export class CreateTaskRequest {
  @ApiProperty({ example: 'fix login', description: 'Without the jira id: `[` and `]` are refused, the id goes in jiraId' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @Matches(/^[^[\]]*$/, { message: 'title must not contain [ or ]: put the jira id in jiraId' })
  title!: string;

  @ApiPropertyOptional({ example: 'POPUG-12', description: 'A Jira issue key' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z][A-Za-z0-9_]*-[0-9]+$/, { message: 'jiraId must be a Jira issue key such as POPUG-12' })
  jiraId?: string;

  @ApiProperty({ example: 'The beak scanner times out after the second attempt' })
  @IsString()
  @MaxLength(5000)
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

export class ListTasksRequest extends TaskStatusQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  assigneeId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}
