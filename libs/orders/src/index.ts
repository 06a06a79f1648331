/** Delibery's public surface: its published events and its definition. */
export * from './contract';
export * from './orders.context';
