import { launch } from '../launch';

/** `npm run start:worker`: projection runners alone; run as many as you like, leases share the work. */
void launch({ http: false, worker: 'here' });
