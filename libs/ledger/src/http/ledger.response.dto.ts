import { ApiProperty } from '@nestjs/swagger';
import type { LedgerAccountPage, LedgerAccountView } from '../application/list-accounts/list-accounts.query';
import type { EventCodeView } from '../application/list-event-codes/list-event-codes.query';

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
