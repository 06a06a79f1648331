/** The tasks context's published language: the events other contexts and read models may consume. */
export * from './task.events';
export * from './reshuffle.events';
