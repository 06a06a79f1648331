import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ConsistentQuery, ReadsFrom } from '@app/core';
import { type AccessClaims, Authorize, Caller } from '@app/identity';
import { taskBoardProjection } from '@app/projections/tasks/task-board/task-board.projection';
import { CompleteTaskCommand } from '../application/complete-task/complete-task.command';
import { CreateTaskCommand } from '../application/create-task/create-task.command';
import { GetTaskQuery } from '../application/get-task/get-task.query';
import { ListMyTasksQuery } from '../application/list-my-tasks/list-my-tasks.query';
import { ListTasksQuery } from '../application/list-tasks/list-tasks.query';
import { ReassignTasksCommand } from '../application/reassign-tasks/reassign-tasks.command';
import { CreateTaskRequest, ListTasksRequest, TASK_PAGE_SIZE, TaskIdParams, TaskPageQuery } from './tasks.request.dto';
import { CompletedTaskResponse, CreatedTaskResponse, ReassignedTasksResponse, TaskPageResponse, TaskResponse } from './tasks.response.dto';

/** The workers to draw from are read once the users read model has caught up with the log. */
const USERS_LAGGING =
  'READ_MODEL_LAGGING: the users read model did not catch up in time, nothing was done, try again; SERVICE_UNAVAILABLE: a database cannot be reached';

@ApiTags('tasks')
@ApiBadRequestResponse({ description: 'VALIDATION_FAILED: details.fields names each field at fault' })
@Controller('tasks')
export class TasksController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a task and assign it to a random worker' })
  @ApiServiceUnavailableResponse({ description: USERS_LAGGING })
  @Authorize()
  @ApiCreatedResponse({ type: CreatedTaskResponse, description: 'Created and assigned at once to a random worker' })
  @ApiUnprocessableEntityResponse({ description: 'NO_WORKERS: nobody has role worker' })
  create(@Body() body: CreateTaskRequest): Promise<CreatedTaskResponse> {
    return this.commandBus.execute(new CreateTaskCommand(body.title, body.jiraId ?? null, body.description));
  }

  @Post('reassign')
  @ApiOperation({ summary: 'Give every open task a random worker (a reshuffle)' })
  @ApiServiceUnavailableResponse({ description: USERS_LAGGING })
  @HttpCode(200)
  @Authorize('manager', 'admin')
  @ApiOkResponse({ type: ReassignedTasksResponse, description: 'Every open task now has a random worker' })
  @ApiConflictResponse({ description: 'RESHUFFLE_IN_PROGRESS or CONCURRENCY_CONFLICT: another reshuffle is running or won the race; nothing was done' })
  @ApiUnprocessableEntityResponse({ description: 'NO_WORKERS: there are open tasks but nobody has role worker' })
  reassign(@Caller() caller: AccessClaims): Promise<ReassignedTasksResponse> {
    return this.commandBus.execute(new ReassignTasksCommand(caller.userId));
  }

  @Post(':taskId/complete')
  @ApiOperation({ summary: 'Complete a task (its assignee only)' })
  @HttpCode(200)
  @Authorize()
  @ApiOkResponse({ type: CompletedTaskResponse })
  @ApiForbiddenResponse({ description: 'NOT_ASSIGNEE: only the assignee completes a task' })
  @ApiConflictResponse({ description: 'TASK_ALREADY_COMPLETED or CONCURRENCY_CONFLICT: completed already, or the task changed meanwhile' })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such task' })
  complete(@Param() { taskId }: TaskIdParams, @Caller() caller: AccessClaims): Promise<CompletedTaskResponse> {
    return this.commandBus.execute(new CompleteTaskCommand(taskId, caller.userId));
  }

  @Get()
  @Authorize()
  @ReadsFrom(taskBoardProjection)
  @ApiOperation({ summary: 'List tasks, newest first, a page at a time, optionally by status and assignee' })
  @ApiOkResponse({ type: TaskPageResponse, description: 'Newest first' })
  list(@Query() query: ListTasksRequest): Promise<TaskPageResponse> {
    const filter = { status: query.status, assigneeId: query.assigneeId };
    return this.queryBus.execute(new ListTasksQuery(filter, query.limit ?? TASK_PAGE_SIZE.default, query.cursor));
  }

  /** Declared before `:taskId`, so `mine` is not taken for a task id. */
  @Get('mine')
  @Authorize()
  @ReadsFrom(taskBoardProjection)
  @ApiOperation({ summary: 'List the caller’s tasks, newest first, a page at a time, optionally by status' })
  @ApiOkResponse({ type: TaskPageResponse, description: 'The caller’s tasks, newest first' })
  mine(@Caller() caller: AccessClaims, @Query() query: TaskPageQuery): Promise<TaskPageResponse> {
    return this.queryBus.execute(new ListMyTasksQuery(caller.userId, query.status, query.limit ?? TASK_PAGE_SIZE.default, query.cursor));
  }

  @Get(':taskId')
  @ApiOperation({ summary: 'One task' })
  @Authorize()
  @ReadsFrom(taskBoardProjection)
  @ApiOkResponse({ type: TaskResponse })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such task' })
  get(@Param() { taskId }: TaskIdParams, @Query() _query: ConsistentQuery): Promise<TaskResponse> {
    return this.queryBus.execute(new GetTaskQuery(taskId));
  }
}
