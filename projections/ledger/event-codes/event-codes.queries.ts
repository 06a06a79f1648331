import { defineQueries } from '@app/core';
import { type EventCodeRow, eventCodesProjection } from './event-codes.projection';

export type { EventCodeRow } from './event-codes.projection';

export const eventCodesQueries = defineQueries(eventCodesProjection, ({ table }) => ({
  /** Every event code, by code. */
  all: (): Promise<EventCodeRow[]> => table<EventCodeRow>('ledger_event_codes').orderBy('code'),
}));
