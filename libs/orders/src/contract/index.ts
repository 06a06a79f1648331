/** Delibery's published language: providers and menus, orders, and their sub-orders at each provider. */
export * from './orders.events';
