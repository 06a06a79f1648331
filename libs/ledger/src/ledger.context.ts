import { defineContext } from '@app/core';
import { balancesProjection } from '@app/projections/ledger/balances/balances.projection';
import { postingsProjection } from '@app/projections/ledger/postings/postings.projection';
import * as ledgerErrors from './domain/ledger.errors';

/**
 * The ledger (FLOW): event codes, accounts, postings accepted synchronously and applied to the
 * daily balances asynchronously. So far its deciders and read models; the endpoints, the handlers
 * and the reactions come next.
 */
export const ledgerContext = defineContext({
  name: 'ledger',
  projections: [balancesProjection, postingsProjection],
  errors: Object.values(ledgerErrors),
});
