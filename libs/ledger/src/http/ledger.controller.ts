import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { PostingBody } from '@app/ledger/contract';
import { balancesProjection } from '@app/projections/ledger/balances/balances.projection';
import { postingsProjection } from '@app/projections/ledger/postings/postings.projection';
import { AcceptPostingCommand, type PostingResult } from '../application/accept-posting/accept-posting.command';
import { AcceptPostingBatchCommand, type BatchOutcome } from '../application/accept-posting-batch/accept-posting-batch.command';
import { GetBalanceQuery, GetBalancesQuery } from '../application/get-balance/get-balance.query';
import { GetPostingQuery } from '../application/get-posting/get-posting.query';
import { GetStatementQuery } from '../application/get-statement/get-statement.query';
import { parseAmount } from '../domain/money';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { ConsistentQuery, type HttpResponse, ReadsFrom, setHeader, toErrorResponse, ValidationFailedError } from '@app/core';
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
  BalanceQuery,
  BalancesQuery,
  BlockAccountRequest,
  ChangeEventCodeRequest,
  EventCodeParams,
  LEDGER_PAGE_SIZE,
  ListAccountsRequest,
  OpenAccountRequest,
  PostingBatchRequest,
  PostingRequest,
  RegisterEventCodeRequest,
  StatementQuery,
  TraceKeyParams,
} from './ledger.request.dto';
import {
  AccountBlockResponse,
  type BatchItemResponse,
  DayBalanceResponse,
  DayBalancesResponse,
  EventCodeResponse,
  EventCodeWrittenResponse,
  LedgerAccountPageResponse,
  OpenedAccountResponse,
  PostingBatchResponse,
  PostingResultResponse,
  PostingStatusResponse,
  StatementPageResponse,
} from './ledger.response.dto';

/** Every rule a posting is checked against, with its code. */
export const POSTING_RULES =
  'LEDGER_EVENT_CODE_NOT_FOUND, LEDGER_EVENT_CODE_INACTIVE, LEDGER_DEBIT_NOT_ALLOWED, LEDGER_CREDIT_NOT_ALLOWED, LEDGER_ACCOUNT_NOT_FOUND, LEDGER_ACCOUNT_BLOCKED or LEDGER_DATEREF_OUT_OF_WINDOW: the posting breaks that rule and is not accepted';

/** A posting's body as the ledger keeps it: the amount in cents (validated already), details `{}` when none. */
export function toPostingBody(body: PostingRequest): PostingBody {
  const amount = parseAmount(body.amount);
  if (!amount.ok) throw new Error(`An amount that passed validation does not parse: ${amount.reason}`);
  const { traceKey, branch, account, debitCredit, eventCode, description, dateRef, details = {} } = body;
  return { traceKey, branch, account, amountCents: amount.cents, debitCredit, eventCode, description, details, dateRef };
}

/**
 * One batch item, checked as the body of POST /ledger/postings is (the same class, whitelist and
 * messages): the posting, or the 400 it would have had alone.
 */
async function checkItem(item: unknown): Promise<{ posting: PostingBody } | { invalid: ValidationFailedError }> {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return { invalid: new ValidationFailedError('The posting must be a JSON object', {}, { reason: 'the posting must be a JSON object' }) };
  }
  const request = plainToInstance(PostingRequest, item);
  const errors = await validate(request, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length === 0) return { posting: toPostingBody(request) };
  const fields = Object.fromEntries(errors.map((error: ValidationError) => [error.property, Object.values(error.constraints ?? {})]));
  return { invalid: new ValidationFailedError(`Invalid input: ${Object.keys(fields).join(', ')}`, fields) };
}

function failed(index: number, error: unknown): BatchItemResponse {
  const { status, body } = toErrorResponse(error);
  return { index, status, error: body.error };
}

function withoutReplayed({ replayed: _replayed, ...result }: PostingResult): PostingResultResponse {
  return result;
}

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

  @Post('postings')
  @ApiOperation({ summary: 'Post a debit or a credit: accepted at once, applied to the balances soon after' })
  @Authorize('admin', 'accountant')
  @ApiCreatedResponse({ type: PostingResultResponse, description: 'Accepted: in the log, its trace key taken' })
  @ApiOkResponse({
    type: PostingResultResponse,
    description: 'The trace key was posted before with this body: the first result again',
    headers: { 'Idempotency-Hit': { description: '`true`: this answers an earlier posting', schema: { type: 'string', enum: ['true'] } } },
  })
  @ApiConflictResponse({ description: 'LEDGER_TRACE_KEY_CONFLICT: the trace key was posted with another body; details.fields names what differs' })
  @ApiUnprocessableEntityResponse({ description: POSTING_RULES })
  async post(@Body() body: PostingRequest, @Res({ passthrough: true }) response: HttpResponse): Promise<PostingResultResponse> {
    const result: PostingResult = await this.commandBus.execute(new AcceptPostingCommand(toPostingBody(body)));
    if (result.replayed) {
      response.status(200);
      setHeader(response, 'Idempotency-Hit', 'true');
    }
    return withoutReplayed(result);
  }

  @Get('postings/:traceKey')
  @ApiOperation({ summary: 'A posting by its trace key: accepted, then applied' })
  @Authorize('admin', 'accountant')
  @ReadsFrom(postingsProjection)
  @ApiOkResponse({ type: PostingStatusResponse })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no posting has that trace key' })
  posting(@Param() { traceKey }: TraceKeyParams, @Query() _query: ConsistentQuery): Promise<PostingStatusResponse> {
    return this.queryBus.execute(new GetPostingQuery(traceKey));
  }

  @Get('accounts/:branch/:account/balance')
  @ApiOperation({ summary: 'An account’s balance as of the end of a date' })
  @Authorize('admin', 'accountant')
  @ReadsFrom(balancesProjection)
  @ApiOkResponse({ type: DayBalanceResponse, description: 'A day without postings carries the accumulated values of the last earlier day, with totals of 0.00' })
  balance(@Param() { branch, account }: AccountParams, @Query() query: BalanceQuery): Promise<DayBalanceResponse> {
    return this.queryBus.execute(new GetBalanceQuery(branch, account, query.date));
  }

  @Get('accounts/:branch/:account/balances')
  @ApiOperation({ summary: 'An account’s balance on every date with postings in a range of at most 366 days' })
  @Authorize('admin', 'accountant')
  @ReadsFrom(balancesProjection)
  @ApiOkResponse({ type: DayBalancesResponse })
  balances(@Param() { branch, account }: AccountParams, @Query() query: BalancesQuery): Promise<DayBalancesResponse> {
    return this.queryBus.execute(new GetBalancesQuery(branch, account, query.from, query.to));
  }

  @Get('accounts/:branch/:account/statement')
  @ApiOperation({ summary: 'An account’s postings of a range of dates, by dateRef then acceptance, a page at a time' })
  @Authorize('admin', 'accountant')
  @ReadsFrom(postingsProjection)
  @ApiOkResponse({ type: StatementPageResponse })
  statement(@Param() { branch, account }: AccountParams, @Query() query: StatementQuery): Promise<StatementPageResponse> {
    return this.queryBus.execute(new GetStatementQuery(branch, account, query.from, query.to, query.limit ?? LEDGER_PAGE_SIZE.default, query.cursor));
  }

  @Post('postings/batch')
  @ApiOperation({ summary: 'Post 1 to 1000 postings: each is accepted or refused on its own' })
  @HttpCode(200)
  @Authorize('admin', 'accountant')
  @ApiOkResponse({ type: PostingBatchResponse, description: 'One result per item, each with the status it would have had alone' })
  async batch(@Body() { items }: PostingBatchRequest): Promise<PostingBatchResponse> {
    const checked = await Promise.all(items.map(checkItem));
    const valid = checked.flatMap((item, index) => ('posting' in item ? [{ index, posting: item.posting }] : []));
    const { outcomes, position }: BatchOutcome = await this.commandBus.execute(new AcceptPostingBatchCommand(valid));
    const results: BatchItemResponse[] = checked.map((item, index) => ('invalid' in item ? failed(index, item.invalid) : { index, status: 0 }));
    for (const outcome of outcomes) {
      if ('error' in outcome) results[outcome.index] = failed(outcome.index, outcome.error);
      else {
        const { replayed, ...result } = outcome.result;
        results[outcome.index] = { index: outcome.index, status: replayed ? 200 : 201, result: replayed ? { ...result, replayed: true } : result };
      }
    }
    return { results, position };
  }
}
