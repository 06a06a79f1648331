import { defineContext } from '@app/core';
import { usersProjection } from '@app/projections/identity/users/users.projection';
import { IDENTITY_CONFIG, loadIdentityConfig } from './application/identity.config';
import { IdentityApiModule } from './http/identity-api.module';

/** Identity: staff and customers, beak-shape login, access and refresh tokens, roles. */
export const identityContext = defineContext({
  name: 'identity',
  apiModule: IdentityApiModule,
  projections: [usersProjection],
  config: { token: IDENTITY_CONFIG, load: (env, platform) => loadIdentityConfig(env, platform.dataDir) },
});
