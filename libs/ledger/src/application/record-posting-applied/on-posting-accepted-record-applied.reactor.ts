import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AsProcessManager, ConsistencyWaiter, PLATFORM_CONFIG, type PlatformConfig, type ProcessManager, type Recorded } from '@app/core';
import type { LedgerPostingAccepted, LedgerPostingApplied } from '@app/ledger/contract';
import { balancesProjection } from '@app/projections/ledger/balances/balances.projection';
import { RecordPostingsAppliedCommand } from './record-posting-applied.command';

/**
 * A posting is `applied` once the balances projection has passed its acceptance: this waits for
 * that and records LedgerPostingApplied. The runtime hands it the accepted postings a batch at a
 * time (`handleAll`): one wait for the batch's last position, then one append for all of them.
 * The wait is bounded (past it the runtime retries the batch with backoff) and ends at shutdown.
 */
@Injectable()
@AsProcessManager<LedgerPostingAccepted>({
  name: 'ledger-postings-applied',
  eventTypes: ['LedgerPostingAccepted'] satisfies LedgerPostingAccepted['type'][],
  emits: ['LedgerPostingApplied'] satisfies LedgerPostingApplied['type'][],
})
export class OnPostingAcceptedRecordAppliedReactor implements ProcessManager<LedgerPostingAccepted>, OnModuleDestroy {
  private readonly stopping = new AbortController();

  constructor(
    private readonly commands: CommandBus,
    private readonly waiter: ConsistencyWaiter,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  handle(event: Recorded<LedgerPostingAccepted>): Promise<void> {
    return this.handleAll([event]);
  }

  async handleAll(events: readonly Recorded<LedgerPostingAccepted>[]): Promise<void> {
    const last = events[events.length - 1];
    await this.waiter.waitFor([balancesProjection], last.position, this.config.consistencyTimeoutMs, this.stopping.signal, { throughReactions: false });
    await this.commands.execute(new RecordPostingsAppliedCommand(events));
  }

  onModuleDestroy(): void {
    this.stopping.abort(new Error('The worker is stopping'));
  }
}
