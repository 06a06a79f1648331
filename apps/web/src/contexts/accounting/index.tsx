import type { Area } from '../../pages';
import { STAFF } from '../../session';
import './accounting.css';
import { AccountAuditLogPage, AccountsPage, CloseDayPage, EarningsPage, EmailsPage, MyAccountPage } from './pages';

export const accountingArea: Area = {
  label: 'Accounting',
  pages: [
    { path: '/accounting/me', title: 'My balance and audit log', Component: MyAccountPage, nav: 'My balance', roles: STAFF },
    { path: '/accounting/accounts', title: 'Accounts', Component: AccountsPage, nav: 'Accounts', roles: ['admin', 'accountant'] },
    { path: '/accounting/accounts/:userId', title: 'Audit log', Component: AccountAuditLogPage, roles: ['admin', 'accountant'] },
    { path: '/accounting/earnings', title: 'Earnings', Component: EarningsPage, nav: 'Earnings', roles: ['admin', 'accountant'] },
    { path: '/accounting/close', title: 'Close a day', Component: CloseDayPage, nav: 'Close a day', roles: ['admin'] },
    { path: '/accounting/emails', title: 'Payout emails', Component: EmailsPage, nav: 'Payout emails', roles: ['admin'] },
  ],
};
