import { contexts } from '../contexts';
import { cliMain, platformCommands } from './cli';
import { usersCreateAdmin } from './commands/users-create-admin';

/** `npm run cli -- <command>`: operations on the platform's database, event store and projections. */
cliMain({ contexts, commands: [...platformCommands, usersCreateAdmin] });
