import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ConsistentQuery, CalendarDate } from '@app/core';
import { type Period, PERIODS } from '../application/get-most-expensive-task/get-most-expensive-task.query';

export class SummaryQuery extends ConsistentQuery {
  @CalendarDate({ optional: true, description: 'A day (UTC); today when absent' })
  date?: string;
}

export class MostExpensiveTaskQuery extends SummaryQuery {
  @ApiPropertyOptional({ enum: PERIODS, default: 'day', description: 'The day, its ISO week (Monday first) or its calendar month' })
  @IsOptional()
  @IsIn(PERIODS)
  period?: Period;
}
