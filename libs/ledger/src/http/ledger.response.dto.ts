import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { LedgerAccountPage, LedgerAccountView } from '../application/list-accounts/list-accounts.query';
import type { EventCodeView } from '../application/list-event-codes/list-event-codes.query';
import type { DayBalance, DayBalances } from '../application/get-balance/get-balance.query';
import type { PostingStatus } from '../application/get-posting/get-posting.query';

const POSITION = 'Event-store position of the last event written; pass it as ?after= to read your write';

export class EventCodeWrittenResponse {
  @ApiProperty({ type: 'integer' })
  code!: number;

  @ApiProperty({ description: POSITION })
  position!: string;
}

export class EventCodeResponse implements EventCodeView {
  @ApiProperty({ type: 'integer' })
  code!: number;

  @ApiProperty()
  description!: string;

  @ApiProperty()
  allowDebit!: boolean;

  @ApiProperty()
  allowCredit!: boolean;

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class OpenedAccountResponse {
  @ApiProperty()
  branch!: string;

  @ApiProperty()
  account!: string;

  @ApiProperty({ description: POSITION })
  position!: string;
}

export class AccountBlockResponse {
  @ApiProperty()
  branch!: string;

  @ApiProperty()
  account!: string;

  @ApiProperty()
  blocked!: boolean;

  @ApiProperty({ description: POSITION })
  position!: string;
}

export class LedgerAccountResponse implements LedgerAccountView {
  @ApiProperty()
  branch!: string;

  @ApiProperty()
  account!: string;

  @ApiProperty()
  holder!: string;

  @ApiProperty()
  blocked!: boolean;

  @ApiProperty({ format: 'date-time' })
  openedAt!: string;
}

export class LedgerAccountPageResponse implements LedgerAccountPage {
  @ApiProperty({ type: LedgerAccountResponse, isArray: true })
  items!: LedgerAccountResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page' })
  nextCursor!: string | null;
}

export class PostingResultResponse {
  @ApiProperty({ format: 'uuid' })
  postingId!: string;

  @ApiProperty({ format: 'uuid' })
  traceKey!: string;

  @ApiProperty({ enum: ['accepted'], description: 'In the log: durable and its trace key taken; `applied` follows once the balances include it' })
  status!: 'accepted';

  @ApiProperty({ description: `${POSITION} (a repeat answers the first acceptance’s)` })
  position!: string;
}

const AMOUNT = { example: '1500.00', description: 'Two decimals' };

export class PostingStatusResponse implements PostingStatus {
  @ApiProperty({ format: 'uuid' })
  postingId!: string;

  @ApiProperty({ format: 'uuid' })
  traceKey!: string;

  @ApiProperty()
  branch!: string;

  @ApiProperty()
  account!: string;

  @ApiProperty(AMOUNT)
  amount!: string;

  @ApiProperty({ enum: ['D', 'C'] })
  debitCredit!: 'D' | 'C';

  @ApiProperty({ type: 'integer' })
  eventCode!: number;

  @ApiProperty()
  description!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The client’s own JSON object, as sent ({} when none was)' })
  details!: Record<string, unknown>;

  @ApiProperty({ format: 'date' })
  dateRef!: string;

  @ApiProperty({ enum: ['accepted', 'applied'], description: '`accepted` once it is in the log, `applied` once the balances include it' })
  status!: 'accepted' | 'applied';

  @ApiProperty({ format: 'date-time' })
  acceptedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  appliedAt!: string | null;
}

export class DayBalanceResponse implements DayBalance {
  @ApiProperty({ format: 'date' })
  dateRef!: string;

  @ApiProperty({ ...AMOUNT, description: 'The day’s debits' })
  totalDebit!: string;

  @ApiProperty({ ...AMOUNT, description: 'The day’s credits' })
  totalCredit!: string;

  @ApiProperty({ ...AMOUNT, description: 'Every debit up to and including the day' })
  accumulatedDebit!: string;

  @ApiProperty({ ...AMOUNT, description: 'Every credit up to and including the day' })
  accumulatedCredit!: string;

  @ApiProperty({ ...AMOUNT, description: 'accumulatedCredit - accumulatedDebit' })
  balance!: string;
}

export class DayBalancesResponse implements DayBalances {
  @ApiProperty()
  branch!: string;

  @ApiProperty()
  account!: string;

  @ApiProperty({ type: DayBalanceResponse, isArray: true, description: 'One per date with postings, oldest first' })
  items!: DayBalanceResponse[];
}

export class PostingBatchResultResponse extends PostingResultResponse {
  @ApiPropertyOptional({ enum: [true], description: 'Present (true) when the item repeats an earlier posting: this is its first result' })
  replayed?: true;
}

export class BatchItemErrorResponse {
  @ApiProperty({ example: 'LEDGER_ACCOUNT_BLOCKED' })
  code!: string;

  @ApiProperty()
  message!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'As the error would have it alone (VALIDATION_FAILED: `fields`)' })
  details!: Record<string, unknown>;
}

export class BatchItemResponse {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'The item’s index in `items`' })
  index!: number;

  @ApiProperty({ type: 'integer', description: 'The HTTP status the posting would have had alone: 201, 200 (a repeat), 400, 409, 422' })
  status!: number;

  @ApiPropertyOptional({ type: PostingBatchResultResponse })
  result?: PostingBatchResultResponse;

  @ApiPropertyOptional({ type: BatchItemErrorResponse })
  error?: BatchItemErrorResponse;
}

export class PostingBatchResponse {
  @ApiProperty({ type: BatchItemResponse, isArray: true, description: 'One per item, in order' })
  results!: BatchItemResponse[];

  @ApiProperty({ description: `${POSITION}: the highest of the batch’s postings` })
  position!: string;
}

export class StatementPageResponse {
  @ApiProperty({ type: PostingStatusResponse, isArray: true, description: 'By dateRef, then in the order they were accepted' })
  items!: PostingStatusResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page' })
  nextCursor!: string | null;
}
