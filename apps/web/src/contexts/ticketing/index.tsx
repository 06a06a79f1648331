import type { Area } from '../../pages';

export const ticketingArea: Area = { label: 'Tickets', pages: [] };
