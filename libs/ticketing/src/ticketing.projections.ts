import { showsProjection } from '@app/projections/ticketing/shows/shows.projection';
import { customersProjection } from '@app/projections/ticketing/customers/customers.projection';
import { reservationsProjection } from '@app/projections/ticketing/reservations/reservations.projection';
import { waitlistProjection } from '@app/projections/ticketing/waitlist/waitlist.projection';

/** Every read model of TicketSafe, as its definition lists them. */
export const TICKETING_PROJECTIONS = [reservationsProjection, waitlistProjection, showsProjection, customersProjection];
