import type { Area } from '../../pages';

export const ordersArea: Area = { label: 'Orders', pages: [] };
