import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { ConsistentQuery, IsCalendarDate } from '@app/core';

export class DateQuery extends ConsistentQuery {
  @ApiPropertyOptional({ example: '2024-05-01', description: 'A billing day (UTC); today when absent' })
  @IsOptional()
  @IsCalendarDate()
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
  @ApiPropertyOptional({ example: '2024-05-01', description: 'The billing day to close (UTC); today when absent. Not in the future' })
  @IsOptional()
  @IsCalendarDate()
  date?: string;
}
