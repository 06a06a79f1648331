/**
 * What pure domain code (deciders, their events and errors) may import from core: no Nest, no
 * database, no clock. Domain files import `@app/core/domain` and nothing else outside their context.
 */
export * from './decider';
export * from '../errors/domain-error';
export * from '../errors/platform-errors';
export * from '../time/dates';
export * from './grow-only-set';
export * from './persistent-map';
export * from './money';
