import { ApiProperty } from '@nestjs/swagger';
import type { LedgerReconciliationDifference } from '@app/ledger/contract';
import type { LatestReconciliation } from '../application/reconcile-ledger/get-latest-reconciliation.query';
import type { Reconciliation } from '../application/reconcile-ledger/reconcile-ledger.command';

const FIELDS = ['totalDebit', 'totalCredit', 'accumulatedDebit', 'accumulatedCredit'];

export class ReconciliationDifferenceResponse implements LedgerReconciliationDifference {
  @ApiProperty()
  branch!: string;

  @ApiProperty()
  account!: string;

  @ApiProperty({ format: 'date' })
  dateRef!: string;

  @ApiProperty({ enum: FIELDS })
  field!: LedgerReconciliationDifference['field'];

  @ApiProperty({ type: String, nullable: true, example: '1500.00', description: 'As the postings make it; null for a day of the read model without postings' })
  expected!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '1400.00', description: 'As the read model has it; null for a day with postings the read model lacks' })
  actual!: string | null;
}

export class ReconciliationResponse implements Reconciliation {
  @ApiProperty({ format: 'uuid' })
  reconciliationId!: string;

  @ApiProperty({ type: 'integer' })
  checkedAccounts!: number;

  @ApiProperty({ type: 'integer', description: 'Days of accounts compared (a day on either side counts once)' })
  checkedDays!: number;

  @ApiProperty({ type: ReconciliationDifferenceResponse, isArray: true, description: 'Empty when the read model agrees with the postings; at most the first 1000' })
  differences!: ReconciliationDifferenceResponse[];

  @ApiProperty({ description: 'Event-store position of the recorded reconciliation' })
  position!: string;
}

export class LatestReconciliationResponse extends ReconciliationResponse implements LatestReconciliation {
  @ApiProperty({ format: 'date-time' })
  at!: string;
}
