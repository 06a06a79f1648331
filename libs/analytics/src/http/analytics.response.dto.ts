import { ApiProperty } from '@nestjs/swagger';
import { PERIODS, type Period } from '../application/get-most-expensive-task/get-most-expensive-task.query';

export class ExpensiveTaskResponse {
  @ApiProperty({ format: 'uuid' })
  taskId!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ description: 'Its completion reward' })
  reward!: number;

  @ApiProperty({ format: 'date-time' })
  completedAt!: string;
}

export class MostExpensiveTaskResponse {
  @ApiProperty({ enum: PERIODS })
  period!: Period;

  @ApiProperty({ example: '2024-04-29' })
  from!: string;

  @ApiProperty({ example: '2024-05-05' })
  to!: string;

  @ApiProperty({ type: ExpensiveTaskResponse, nullable: true, description: 'Null when no task was completed in the period' })
  task!: ExpensiveTaskResponse | null;
}

export class SummaryResponse {
  @ApiProperty({ example: '2024-05-01' })
  date!: string;

  @ApiProperty({ description: 'Fees debited minus rewards credited that day' })
  managementEarnings!: number;

  @ApiProperty({ description: 'Workers with a negative balance that day' })
  negativeBalanceWorkers!: number;
}
