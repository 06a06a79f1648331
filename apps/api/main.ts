import { launch } from '../launch';

/** `npm run start:api`: the HTTP app alone; run the worker next to it. */
void launch({ http: true, worker: false });
