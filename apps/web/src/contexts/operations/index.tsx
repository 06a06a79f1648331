import type { Area } from '../../pages';

export const operationsArea: Area = { label: 'Operations', pages: [] };
