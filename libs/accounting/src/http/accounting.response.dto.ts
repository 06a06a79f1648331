import { ApiProperty } from '@nestjs/swagger';

export class BalanceResponse {
  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty({ description: 'Whole number; negative when the fees exceed the rewards' })
  balance!: number;

  @ApiProperty({ example: '2024-05-01', description: 'Today (UTC)' })
  date!: string;
}

export class AuditLogEntryResponse {
  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ enum: ['debit', 'credit', 'payout'] })
  kind!: 'debit' | 'credit' | 'payout';

  @ApiProperty({ description: 'Whole number, always positive: the kind says which way it went' })
  amount!: number;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null for a payout' })
  taskId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  taskTitle!: string | null;

  @ApiProperty({ description: 'The task’s description (or what the payout was for)' })
  description!: string;
}

export class AuditLogResponse {
  @ApiProperty({ type: AuditLogEntryResponse, isArray: true })
  items!: AuditLogEntryResponse[];
}

export class AccountResponse {
  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  balance!: number;
}

export class EarningsResponse {
  @ApiProperty({ example: '2024-05-01' })
  date!: string;

  @ApiProperty({ description: 'Fees debited minus rewards credited that day' })
  earnings!: number;

  @ApiProperty()
  fees!: number;

  @ApiProperty()
  rewards!: number;
}

export class ClosedBillingCycleResponse {
  @ApiProperty({ example: '2024-05-01' })
  date!: string;

  @ApiProperty({ description: 'Workers paid out' })
  payouts!: number;

  @ApiProperty({ description: 'Paid out in all' })
  total!: number;

  @ApiProperty({ description: 'Event-store position of the close; pass it as ?after= to read your write' })
  position!: string;
}

export class PayoutEmailResponse {
  @ApiProperty({ format: 'uuid' })
  emailId!: string;

  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty()
  to!: string;

  @ApiProperty()
  subject!: string;

  @ApiProperty()
  amount!: number;

  @ApiProperty({ example: '2024-05-01', description: 'The billing day paid out' })
  date!: string;

  @ApiProperty({ enum: ['pending', 'failed', 'sent', 'outbox'], description: 'failed: the last attempt failed and it is being retried' })
  status!: string;

  @ApiProperty()
  attempts!: number;

  @ApiProperty({ type: String, nullable: true })
  lastError!: string | null;

  @ApiProperty()
  text!: string;
}
