import type { Area } from '../../pages';

export const ledgerArea: Area = { label: 'Ledger', pages: [] };
