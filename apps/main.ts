import { launch } from './launch';

/** `npm start`: the HTTP app, and the worker in a process of its own that this one starts and stops. */
void launch({ http: true, worker: 'child' });
