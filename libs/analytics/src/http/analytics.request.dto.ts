import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ConsistentQuery, IsCalendarDate } from '@app/core';
import { type Period, PERIODS } from '../application/get-most-expensive-task/get-most-expensive-task.query';

export class SummaryQuery extends ConsistentQuery {
  @ApiPropertyOptional({ example: '2024-05-01', description: 'A day (UTC); today when absent' })
  @IsOptional()
  @IsCalendarDate()
  date?: string;
}

export class MostExpensiveTaskQuery extends SummaryQuery {
  @ApiPropertyOptional({ enum: PERIODS, default: 'day', description: 'The day, its ISO week (Monday first) or its calendar month' })
  @IsOptional()
  @IsIn(PERIODS)
  period?: Period;
}
