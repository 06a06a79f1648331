import type { Area } from '../../pages';

export const accountingArea: Area = { label: 'Accounting', pages: [] };
