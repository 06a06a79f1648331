import type { Area } from '../../pages';
import { CreateShowPage } from './create-show';
import { MyReservationsPage, MyWaitlistPage, PersonalDataPage } from './mine';
import { ReservationPage } from './reservation';
import { SalesPage } from './sales';
import { ShowPage } from './show';
import { ORGANISERS, ShowsPage } from './shows';
import './ticketing.css';

/** TicketSafe: shows and their seat maps, reservations and payment, waitlists, personal data; for organisers, new shows and sales. */
export const ticketingArea: Area = {
  label: 'Tickets',
  pages: [
    { path: '/ticketing/shows', title: 'Shows', Component: ShowsPage, nav: 'Shows' },
    // Before `/ticketing/shows/:showId`, which would take `new` for a show id.
    { path: '/ticketing/shows/new', title: 'Create a show', Component: CreateShowPage, nav: 'Create a show', roles: ORGANISERS },
    { path: '/ticketing/shows/:showId', title: 'Show', Component: ShowPage },
    { path: '/ticketing/shows/:showId/sales', title: 'Sales', Component: SalesPage, roles: ORGANISERS },
    { path: '/ticketing/reservations/mine', title: 'My reservations', Component: MyReservationsPage, nav: 'My reservations' },
    { path: '/ticketing/reservations/:reservationId', title: 'Reservation', Component: ReservationPage },
    { path: '/ticketing/waitlist/mine', title: 'My waitlist', Component: MyWaitlistPage, nav: 'My waitlist' },
    { path: '/ticketing/me', title: 'My details for tickets', Component: PersonalDataPage, nav: 'My details' },
  ],
};
