/** Analytics' public surface: its definition (it publishes no events). */
export * from './analytics.context';
