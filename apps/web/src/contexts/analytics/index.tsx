import type { Area } from '../../pages';

export const analyticsArea: Area = { label: 'Analytics', pages: [] };
