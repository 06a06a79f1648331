import type { ContextDefinition } from '@app/core';
import { accountingContext } from '@app/accounting';
import { analyticsContext } from '@app/analytics';
import { identityContext } from '@app/identity';
import { ledgerContext } from '@app/ledger';
import { ordersContext } from '@app/orders';
import { tasksContext } from '@app/tasks';
import { ticketingContext } from '@app/ticketing';

/**
 * Every bounded context the platform runs, and the only list of them: the api, the worker, the
 * CLI and the tests all read it. Adding a context is adding it here (see CONTRIBUTING.md).
 */
export const contexts: readonly ContextDefinition[] = [identityContext, tasksContext, accountingContext, analyticsContext, ledgerContext, ticketingContext, ordersContext];
