import type { Area } from '../pages';
import { accountingArea } from './accounting';
import { analyticsArea } from './analytics';
import { identityArea } from './identity';
import { ledgerArea } from './ledger';
import { operationsArea } from './operations';
import { ordersArea } from './orders';
import { tasksArea } from './tasks';
import { ticketingArea } from './ticketing';

/** Every area of the app, in menu order; each context owns its folder next to this file. */
export const areas: readonly Area[] = [identityArea, tasksArea, accountingArea, analyticsArea, ledgerArea, ticketingArea, ordersArea, operationsArea];
