import { ApiProperty } from '@nestjs/swagger';
import { POSITION_PATTERN } from '@app/core/http/openapi';

export class BalanceResponse {
  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty({ type: 'integer', description: 'Whole number; negative when the fees exceed the rewards' })
  balance!: number;

  @ApiProperty({ format: 'date', example: '2024-05-01', description: 'The open billing day (UTC) the balance is of: today, or the next day once today is closed' })
  date!: string;
}

export class AuditLogEntryResponse {
  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({
    enum: ['debit', 'credit', 'payout', 'carried_in'],
    description: 'carried_in: the negative balance an earlier day closed with, brought into this one (it comes first)',
  })
  kind!: 'debit' | 'credit' | 'payout' | 'carried_in';

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: 'Whole number, always positive: the kind says which way it went (credit adds; debit, payout and carried_in take away), so a day’s entries add up to its balance',
  })
  amount!: number;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null for a payout or a carried-in balance' })
  taskId!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Null for a payout or a carried-in balance' })
  taskTitle!: string | null;

  @ApiProperty({ description: 'The task’s description (or what the payout or carried-in balance was)' })
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

  @ApiProperty({ type: 'integer', description: 'Whole number; negative when the fees exceed the rewards' })
  balance!: number;
}

export class EarningsResponse {
  @ApiProperty({ format: 'date', example: '2024-05-01' })
  date!: string;

  @ApiProperty({ type: 'integer', description: 'Fees debited minus rewards credited that day' })
  earnings!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Assignment fees debited that day' })
  fees!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Completion rewards credited that day' })
  rewards!: number;
}

export class ClosedBillingCycleResponse {
  @ApiProperty({ format: 'date', example: '2024-05-01' })
  date!: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Workers paid out' })
  payouts!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Paid out in all' })
  total!: number;

  @ApiProperty({ pattern: POSITION_PATTERN, description: 'Event-store position of the close; pass it as ?after= to read your write' })
  position!: string;
}

export class PayoutEmailResponse {
  @ApiProperty({ format: 'uuid' })
  emailId!: string;

  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty({ description: 'The worker’s email address' })
  to!: string;

  @ApiProperty()
  subject!: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Paid out' })
  amount!: number;

  @ApiProperty({ format: 'date', example: '2024-05-01', description: 'The billing day paid out' })
  date!: string;

  @ApiProperty({ enum: ['pending', 'failed', 'sent', 'outbox'], description: 'failed: the last attempt failed and it is being retried' })
  status!: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Sending attempts so far' })
  attempts!: number;

  @ApiProperty({ type: String, nullable: true })
  lastError!: string | null;

  @ApiProperty()
  text!: string;
}
