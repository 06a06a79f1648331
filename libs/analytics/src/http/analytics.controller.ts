import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReadsFrom } from '@app/core';
import { accountsProjection, managementEarningsProjection } from '@app/accounting';
import { Authorize } from '@app/identity';
import { mostExpensiveTasksProjection } from '@app/projections/analytics/most-expensive-tasks/most-expensive-tasks.projection';
import { GetMostExpensiveTaskQuery } from '../application/get-most-expensive-task/get-most-expensive-task.query';
import { GetSummaryQuery } from '../application/get-summary/get-summary.query';
import { MostExpensiveTaskQuery, SummaryQuery } from './analytics.request.dto';
import { MostExpensiveTaskResponse, SummaryResponse } from './analytics.response.dto';

@ApiTags('analytics')
@ApiBadRequestResponse({ description: 'VALIDATION_FAILED: details.fields names each field at fault' })
@Controller('analytics')
export class AnalyticsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('most-expensive-task')
  @ApiOperation({ summary: 'The task with the highest reward among those completed in a day, week or month' })
  @Authorize('admin')
  @ReadsFrom(mostExpensiveTasksProjection)
  @ApiOkResponse({ type: MostExpensiveTaskResponse, description: 'The highest reward among tasks completed in the period' })
  mostExpensiveTask(@Query() query: MostExpensiveTaskQuery): Promise<MostExpensiveTaskResponse> {
    return this.queryBus.execute(new GetMostExpensiveTaskQuery(query.period ?? 'day', query.date));
  }

  @Get('summary')
  @ApiOperation({ summary: 'Management’s earnings of a day and how many workers ended it in debt' })
  @Authorize('admin')
  @ReadsFrom(managementEarningsProjection, accountsProjection)
  @ApiOkResponse({ type: SummaryResponse })
  summary(@Query() query: SummaryQuery): Promise<SummaryResponse> {
    return this.queryBus.execute(new GetSummaryQuery(query.date));
  }
}
