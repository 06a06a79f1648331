import { launch } from './launch';

/** `npm start`: the HTTP app and the worker in one process. */
void launch({ http: true, worker: true });
