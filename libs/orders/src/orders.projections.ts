import { ordersProjection } from '@app/projections/orders/orders/orders.projection';
import { providersProjection } from '@app/projections/orders/providers/providers.projection';

/** Every read model of Delibery, as its definition lists them. */
export const ORDERS_PROJECTIONS = [providersProjection, ordersProjection];
