/**
 * `npm run start:worker` (and `npm start`'s worker process): projection runners, process managers
 * and workflows alone; run as many as you like, leases share the work. A stop signal that comes
 * while the modules load (as when `npm start` is stopped a moment after it began) is kept for
 * launch, which owns the signals from then on: the worker still finishes and logs `stopped`.
 */
const early: string[] = [];
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => early.push(signal));
const { launch } = require('../launch') as typeof import('../launch');
void launch({ http: false, worker: 'here' }, early);

export {};
