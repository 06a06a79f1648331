import { ApiProperty } from '@nestjs/swagger';
import { PERIODS, type Period } from '../application/get-most-expensive-task/get-most-expensive-task.query';

export class ExpensiveTaskResponse {
  @ApiProperty({ format: 'uuid' })
  taskId!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ type: 'integer', description: 'Its completion reward' })
  reward!: number;

  @ApiProperty({ format: 'date-time' })
  completedAt!: string;
}

export class MostExpensiveTaskResponse {
  @ApiProperty({ enum: PERIODS })
  period!: Period;

  @ApiProperty({ format: 'date', example: '2024-04-29', description: 'First day of the period' })
  from!: string;

  @ApiProperty({ format: 'date', example: '2024-05-05', description: 'Last day of the period' })
  to!: string;

  @ApiProperty({ type: ExpensiveTaskResponse, nullable: true, description: 'Null when no task was completed in the period' })
  task!: ExpensiveTaskResponse | null;
}

export class SummaryResponse {
  @ApiProperty({ format: 'date', example: '2024-05-01' })
  date!: string;

  @ApiProperty({ type: 'integer', description: 'Fees debited minus rewards credited that day' })
  managementEarnings!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Workers with a negative balance that day' })
  negativeBalanceWorkers!: number;
}
