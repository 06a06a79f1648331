import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ConsistentQuery, ReadsFrom } from '@app/core';
import { Authorize } from '@app/identity';
import { ledgerAccountsProjection } from '@app/projections/ledger/accounts/accounts.projection';
import { eventCodesProjection } from '@app/projections/ledger/event-codes/event-codes.projection';
import { BlockAccountCommand } from '../application/block-account/block-account.command';
import { ChangeEventCodeCommand } from '../application/change-event-code/change-event-code.command';
import { ListAccountsQuery } from '../application/list-accounts/list-accounts.query';
import { ListEventCodesQuery } from '../application/list-event-codes/list-event-codes.query';
import { OpenAccountCommand } from '../application/open-account/open-account.command';
import { RegisterEventCodeCommand } from '../application/register-event-code/register-event-code.command';
import {
  AccountParams,
  BlockAccountRequest,
  ChangeEventCodeRequest,
  EventCodeParams,
  LEDGER_PAGE_SIZE,
  ListAccountsRequest,
  OpenAccountRequest,
  RegisterEventCodeRequest,
} from './ledger.request.dto';
import {
  AccountBlockResponse,
  EventCodeResponse,
  EventCodeWrittenResponse,
  LedgerAccountPageResponse,
  OpenedAccountResponse,
} from './ledger.response.dto';

@ApiTags('ledger')
@ApiBadRequestResponse({ description: 'VALIDATION_FAILED: details.fields names each field at fault' })
@Controller('ledger')
export class LedgerController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post('event-codes')
  @ApiOperation({ summary: 'Register an event code: which sides its postings may take' })
  @Authorize('admin')
  @ApiCreatedResponse({ type: EventCodeWrittenResponse })
  @ApiConflictResponse({ description: 'LEDGER_EVENT_CODE_EXISTS: that code is registered already' })
  registerEventCode(@Body() body: RegisterEventCodeRequest): Promise<EventCodeWrittenResponse> {
    const { code, description, allowDebit, allowCredit, active = true } = body;
    return this.commandBus.execute(new RegisterEventCodeCommand(code, { description, allowDebit, allowCredit, active }));
  }

  @Patch('event-codes/:code')
  @ApiOperation({ summary: 'Change an event code’s settings: every posting accepted afterwards follows them' })
  @Authorize('admin')
  @ApiOkResponse({ type: EventCodeWrittenResponse, description: 'Changed (a change that changes nothing answers the code’s last position)' })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such event code' })
  changeEventCode(@Param() { code }: EventCodeParams, @Body() body: ChangeEventCodeRequest): Promise<EventCodeWrittenResponse> {
    const { description, allowDebit, allowCredit, active } = body;
    return this.commandBus.execute(new ChangeEventCodeCommand(code, { description, allowDebit, allowCredit, active }));
  }

  @Get('event-codes')
  @ApiOperation({ summary: 'Every event code with its settings, by code' })
  @Authorize('admin', 'accountant')
  @ReadsFrom(eventCodesProjection)
  @ApiOkResponse({ type: EventCodeResponse, isArray: true })
  eventCodes(@Query() _query: ConsistentQuery): Promise<EventCodeResponse[]> {
    return this.queryBus.execute(new ListEventCodesQuery());
  }

  @Post('accounts')
  @ApiOperation({ summary: 'Open an account of a branch' })
  @Authorize('admin', 'accountant')
  @ApiCreatedResponse({ type: OpenedAccountResponse })
  @ApiConflictResponse({ description: 'LEDGER_ACCOUNT_EXISTS: that account of that branch is open already' })
  openAccount(@Body() { branch, account, holder }: OpenAccountRequest): Promise<OpenedAccountResponse> {
    return this.commandBus.execute(new OpenAccountCommand(branch, account, holder));
  }

  @Post('accounts/:branch/:account/block')
  @ApiOperation({ summary: 'Block an account: postings to it are refused until it is unblocked' })
  @HttpCode(200)
  @Authorize('admin')
  @ApiOkResponse({ type: AccountBlockResponse, description: 'Blocked (blocking a blocked account changes nothing)' })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such account' })
  block(@Param() { branch, account }: AccountParams, @Body() { reason }: BlockAccountRequest): Promise<AccountBlockResponse> {
    return this.commandBus.execute(new BlockAccountCommand(branch, account, { reason }));
  }

  @Post('accounts/:branch/:account/unblock')
  @ApiOperation({ summary: 'Unblock an account' })
  @HttpCode(200)
  @Authorize('admin')
  @ApiOkResponse({ type: AccountBlockResponse, description: 'Unblocked (unblocking an open account changes nothing)' })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such account' })
  unblock(@Param() { branch, account }: AccountParams): Promise<AccountBlockResponse> {
    return this.commandBus.execute(new BlockAccountCommand(branch, account, null));
  }

  @Get('accounts')
  @ApiOperation({ summary: 'Open accounts by branch then account, a page at a time' })
  @Authorize('admin', 'accountant')
  @ReadsFrom(ledgerAccountsProjection)
  @ApiOkResponse({ type: LedgerAccountPageResponse })
  accounts(@Query() query: ListAccountsRequest): Promise<LedgerAccountPageResponse> {
    return this.queryBus.execute(new ListAccountsQuery(query.branch, query.limit ?? LEDGER_PAGE_SIZE.default, query.cursor));
  }
}
