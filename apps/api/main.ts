/**
 * `npm run start:api`: the HTTP app alone; run the worker next to it. A stop signal that comes
 * while the modules load is kept for launch, which owns the signals from then on.
 */
const early: string[] = [];
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => early.push(signal));
const { launch } = require('../launch') as typeof import('../launch');
void launch({ http: true, worker: false }, early);

export {};
