import { defineContext } from '@app/core';
import { usersProjection } from '@app/projections/identity/users/users.projection';
import { IDENTITY_CONFIG, loadIdentityConfig } from './application/identity.config';
import { usersCreateAdmin } from './cli/users-cli.controller';
import * as identityErrors from './domain/identity.errors';
import { IdentityApiModule } from './http/identity-api.module';

/** Identity: staff with one role each, beak-shape login, access and refresh tokens. */
export const identityContext = defineContext({
  name: 'identity',
  apiTags: { identity: 'Users, roles and access tokens; the beak is the credential' },
  apiModule: IdentityApiModule,
  projections: [usersProjection],
  cliCommands: [usersCreateAdmin],
  errors: Object.values(identityErrors),
  config: { token: IDENTITY_CONFIG, load: (env, platform) => loadIdentityConfig(env, platform.dataDir) },
});
