/** TicketSafe's published language: the events of shows, reservations, waitlists and customers' personal data. */
export * from './ticketing.events';
