import { defineQueries } from '@app/core';
import { type ManagementEarningsRow, managementEarningsProjection } from './management-earnings.projection';

export type { ManagementEarningsRow } from './management-earnings.projection';

/** The management's earnings per billing day: accounting's reads, and analytics' (exported by `@app/accounting`). */
export const managementEarningsQueries = defineQueries(managementEarningsProjection, ({ table }) => ({
  /** The fees, rewards and earnings (fees minus rewards) of one billing day; zeros for a day with none. */
  on: async (date: string): Promise<{ fees: number; rewards: number; earnings: number }> => {
    const row = await table<ManagementEarningsRow>('management_earnings').where({ date }).first();
    const fees = Number(row?.fees ?? 0);
    const rewards = Number(row?.rewards ?? 0);
    return { fees, rewards, earnings: fees - rewards };
  },
}));
