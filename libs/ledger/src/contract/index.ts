/** The ledger's published language: the events its read models and other contexts may consume. */
export * from './ledger.events';
