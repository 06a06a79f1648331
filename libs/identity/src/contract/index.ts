/** Identity's published language: the events other contexts and read models may consume. */
export * from './role';
export * from './user.events';
