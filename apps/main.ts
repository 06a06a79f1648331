/**
 * `npm start`: the HTTP app, and the worker in a process of its own that this one starts and stops.
 * A stop signal that comes while the modules load (a second or two) is kept for launch, which owns
 * the signals from then on: the process never ends at a SIGTERM without its `stopped` line.
 */
const early: string[] = [];
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => early.push(signal));
const { launch } = require('./launch') as typeof import('./launch');
void launch({ http: true, worker: 'child' }, early);

export {};
