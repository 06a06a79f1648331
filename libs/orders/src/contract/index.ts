/** Delibery's published language: providers and menus, orders, and their sub-orders at each provider, and the rules of an order's one status. */
export * from './orders.events';
export * from './order-status';
