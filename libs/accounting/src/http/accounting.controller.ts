import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ConsistentQuery, ReadsFrom } from '@app/core';
import { type AccessClaims, Authorize, Caller, usersProjection } from '@app/identity';
import { accountsProjection } from '@app/projections/accounting/accounts/accounts.projection';
import { billingProjection } from '@app/projections/accounting/billing/billing.projection';
import { managementEarningsProjection } from '@app/projections/accounting/management-earnings/management-earnings.projection';
import { CloseBillingCycleCommand } from '../application/close-billing-cycle/close-billing-cycle.command';
import { GetAuditLogQuery } from '../application/get-audit-log/get-audit-log.query';
import { GetBalanceQuery } from '../application/get-balance/get-balance.query';
import { GetEarningsQuery } from '../application/get-earnings/get-earnings.query';
import { ListAccountsQuery } from '../application/list-accounts/list-accounts.query';
import { ListEmailsQuery } from '../application/list-emails/list-emails.query';
import { CloseBillingCycleRequest, DateQuery, EmailsQuery, UserIdParams } from './accounting.request.dto';
import {
  AccountResponse,
  AuditLogResponse,
  BalanceResponse,
  ClosedBillingCycleResponse,
  EarningsResponse,
  PayoutEmailResponse,
} from './accounting.response.dto';

@ApiTags('accounting')
@ApiBadRequestResponse({ description: 'VALIDATION_FAILED: details.fields names each field at fault' })
@Controller('accounting')
export class AccountingController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Get('me')
  @ApiOperation({ summary: 'The caller’s balance on their open billing day' })
  @Authorize()
  @ReadsFrom(accountsProjection)
  @ApiOkResponse({ type: BalanceResponse, description: 'The caller’s balance now' })
  me(@Caller() caller: AccessClaims, @Query() _query: ConsistentQuery): Promise<BalanceResponse> {
    return this.queryBus.execute(new GetBalanceQuery(caller.userId));
  }

  @Get('me/audit-log')
  @ApiOperation({ summary: 'The caller’s debits, credits, payout and carried-in balance of one day' })
  @Authorize()
  @ReadsFrom(accountsProjection)
  @ApiOkResponse({ type: AuditLogResponse, description: 'The caller’s entries of the day (the balance carried in first), in order: they add up to the day’s balance' })
  myAuditLog(@Caller() caller: AccessClaims, @Query() query: DateQuery): Promise<AuditLogResponse> {
    return this.queryBus.execute(new GetAuditLogQuery(caller.userId, query.date));
  }

  @Get('accounts')
  @ApiOperation({ summary: 'Every worker’s balance' })
  @Authorize('admin', 'accountant')
  @ReadsFrom(accountsProjection, usersProjection)
  @ApiOkResponse({ type: AccountResponse, isArray: true, description: 'Every worker’s balance' })
  accounts(@Query() _query: ConsistentQuery): Promise<AccountResponse[]> {
    return this.queryBus.execute(new ListAccountsQuery());
  }

  @Get('accounts/:userId/audit-log')
  @ApiOperation({ summary: 'A user’s debits, credits, payout and carried-in balance of one day' })
  @Authorize('admin', 'accountant')
  @ReadsFrom(accountsProjection, usersProjection)
  @ApiOkResponse({ type: AuditLogResponse })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such user' })
  auditLog(@Param() { userId }: UserIdParams, @Query() query: DateQuery): Promise<AuditLogResponse> {
    return this.queryBus.execute(new GetAuditLogQuery(userId, query.date, { mustExist: true }));
  }

  @Get('earnings')
  @ApiOperation({ summary: 'Management’s earnings of one day: fees debited minus rewards credited' })
  @Authorize('admin', 'accountant')
  @ReadsFrom(managementEarningsProjection)
  @ApiOkResponse({ type: EarningsResponse })
  earnings(@Query() query: DateQuery): Promise<EarningsResponse> {
    return this.queryBus.execute(new GetEarningsQuery(query.date));
  }

  @Post('billing-cycles/close')
  @ApiOperation({ summary: 'Close a billing day: pay out every positive balance and email it' })
  @ApiServiceUnavailableResponse({
    description:
      'ACCOUNTING_CATCHING_UP: work recorded before the close is still being posted; nothing was closed, try again after `Retry-After`; READ_MODEL_LAGGING: the close was started but the worker had not finished it in time; it goes on there, and asked again the close answers; SERVICE_UNAVAILABLE: a database cannot be reached',
  })
  @HttpCode(200)
  @Authorize('admin')
  @ApiOkResponse({ type: ClosedBillingCycleResponse, description: 'Closed (or already closed: closing again changes nothing)' })
  @ApiUnprocessableEntityResponse({
    description: 'BILLING_DATE_IN_FUTURE or BILLING_DATE_BEFORE_LOG: that day has not begun, or it is before the first recorded event',
  })
  close(@Body() body: CloseBillingCycleRequest): Promise<ClosedBillingCycleResponse> {
    return this.commandBus.execute(new CloseBillingCycleCommand(body.date));
  }

  @Get('emails')
  @ApiOperation({ summary: 'Payout emails with their delivery status' })
  @Authorize('admin')
  @ReadsFrom(billingProjection)
  @ApiOkResponse({ type: PayoutEmailResponse, isArray: true, description: 'Payout emails with their delivery status, oldest first' })
  emails(@Query() query: EmailsQuery): Promise<PayoutEmailResponse[]> {
    return this.queryBus.execute(new ListEmailsQuery(query.userId));
  }
}
