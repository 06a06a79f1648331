import { randomUUID } from 'node:crypto';
import { Controller, Get, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize } from '@app/identity';
import { GetLatestReconciliationQuery } from '../application/reconcile-ledger/get-latest-reconciliation.query';
import { ReconcileLedgerCommand } from '../application/reconcile-ledger/reconcile-ledger.command';
import { LatestReconciliationResponse, ReconciliationResponse } from './reconciliation.response.dto';

@ApiTags('ledger')
@Controller('ledger/reconciliations')
export class ReconciliationController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Recompute every balance from the postings and compare it with the read model' })
  @Authorize('admin')
  @ApiCreatedResponse({ type: ReconciliationResponse })
  reconcile(): Promise<ReconciliationResponse> {
    return this.commandBus.execute(new ReconcileLedgerCommand(randomUUID()));
  }

  @Get('latest')
  @ApiOperation({ summary: 'The last reconciliation, whichever ran it (this endpoint, the CLI or the periodic job)' })
  @Authorize('admin', 'accountant')
  @ApiOkResponse({ type: LatestReconciliationResponse })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no reconciliation has run yet' })
  latest(): Promise<LatestReconciliationResponse> {
    return this.queryBus.execute(new GetLatestReconciliationQuery());
  }
}
