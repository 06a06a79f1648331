import { Module } from '@nestjs/common';
import { GetMostExpensiveTaskHandler } from '../application/get-most-expensive-task/get-most-expensive-task.handler';
import { GetSummaryHandler } from '../application/get-summary/get-summary.handler';
import { AnalyticsController } from './analytics.controller';

/** Analytics: read-only answers over the accounting read models; it writes nothing. */
@Module({ controllers: [AnalyticsController], providers: [GetMostExpensiveTaskHandler, GetSummaryHandler] })
export class AnalyticsApiModule {}
