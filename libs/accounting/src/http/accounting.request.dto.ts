import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { ConsistentQuery, CalendarDate } from '@app/core';

export class DateQuery extends ConsistentQuery {
  @CalendarDate({ optional: true, description: 'A billing day (UTC); today when absent' })
  date?: string;
}

export class UserIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  userId!: string;
}

export class EmailsQuery extends ConsistentQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this worker’s emails' })
  @IsOptional()
  @IsUUID()
  userId?: string;
}

export class CloseBillingCycleRequest {
  @CalendarDate({ optional: true, description: 'The billing day to close (UTC); today when absent. Not in the future' })
  date?: string;
}
