/** Every read model of Delibery, as its definition lists them. */
export const ORDERS_PROJECTIONS = [];
