import type { Area } from '../../pages';
import type { Role } from '../../session';
import { AccountPage, AccountsPage } from './accounts';
import { EventCodesPage } from './event-codes';
import { FeedPage } from './feed';
import { PostingPage } from './posting';
import { ReconciliationPage } from './reconciliation';
import { WebhooksPage } from './webhooks';
import './ledger.css';

const STAFF: readonly Role[] = ['admin', 'accountant'];

/** The FLOW cash-flow ledger: accounts, postings, balances, event codes, reconciliation, webhooks, the live feed. */
export const ledgerArea: Area = {
  label: 'Ledger',
  pages: [
    { path: '/ledger/accounts', title: 'Ledger accounts', Component: AccountsPage, roles: STAFF, nav: 'Ledger accounts' },
    { path: '/ledger/accounts/:branch/:account', title: 'Ledger account', Component: AccountPage, roles: STAFF },
    { path: '/ledger/postings', title: 'Post to the ledger', Component: PostingPage, roles: STAFF, nav: 'Postings' },
    { path: '/ledger/event-codes', title: 'Event codes', Component: EventCodesPage, roles: STAFF, nav: 'Event codes' },
    { path: '/ledger/reconciliation', title: 'Reconciliation', Component: ReconciliationPage, roles: STAFF, nav: 'Reconciliation' },
    { path: '/ledger/webhooks', title: 'Webhooks', Component: WebhooksPage, roles: ['admin'], nav: 'Webhooks' },
    { path: '/ledger/feed', title: 'Live feed', Component: FeedPage, roles: STAFF, nav: 'Live feed' },
  ],
};
