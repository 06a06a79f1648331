import { contexts } from '../contexts';
import { cliMain, platformCommands } from './cli';

/** `npm run cli -- <command>`: operations on the platform's database, event store and projections, and the contexts' own commands. */
cliMain({ contexts, commands: platformCommands });
