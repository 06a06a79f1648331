import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AsProcessManager, ConsistencyWaiter, currentContext, PLATFORM_CONFIG, type PlatformConfig, type ProcessManager, type Recorded } from '@app/core';
import type { LedgerPostingAccepted, LedgerPostingApplied } from '@app/ledger/contract';
import { balancesProjection } from '@app/projections/ledger/balances/balances.projection';
import { RecordPostingAppliedCommand } from './record-posting-applied.command';

/**
 * A posting is `applied` once the balances projection has passed its acceptance: this waits for
 * that and records LedgerPostingApplied. The runtime hands it the accepted postings in batches,
 * concurrently across postings; every posting of a batch waits for the batch's last position
 * (`deliveredUpTo`), and those waits are one, so a batch of a hundred postings costs one wait.
 * The wait is bounded (past it the runtime retries the posting with backoff) and ends at shutdown.
 */
@Injectable()
@AsProcessManager<LedgerPostingAccepted>({
  name: 'ledger-postings-applied',
  eventTypes: ['LedgerPostingAccepted'] satisfies LedgerPostingAccepted['type'][],
  emits: ['LedgerPostingApplied'] satisfies LedgerPostingApplied['type'][],
})
export class OnPostingAcceptedRecordAppliedReactor implements ProcessManager<LedgerPostingAccepted>, OnModuleDestroy {
  private readonly waits = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly commands: CommandBus,
    private readonly waiter: ConsistencyWaiter,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  async handle(event: Recorded<LedgerPostingAccepted>): Promise<void> {
    const upTo = currentContext()?.deliveredUpTo ?? event.position;
    await this.balancesReach(upTo > event.position ? upTo : event.position);
    await this.commands.execute(new RecordPostingAppliedCommand(event));
  }

  onModuleDestroy(): void {
    this.stopping.abort(new Error('The worker is stopping'));
  }

  private balancesReach(position: string): Promise<void> {
    let wait = this.waits.get(position);
    if (!wait) {
      wait = this.waiter.waitFor([balancesProjection], position, this.config.consistencyTimeoutMs, this.stopping.signal, { throughReactions: false });
      this.waits.set(position, wait);
      const forget = () => this.waits.delete(position);
      wait.then(forget, forget);
    }
    return wait;
  }
}
