/**
 * Graph tokens for many users: what a request pays for its token once 1,000 users are cached (the hot
 * path: every Graph request asks), and what an exchange for one more user costs (a new SSO token).
 */
import { startTestTenant, testSeed } from '../devtenant/testkit';
import { createGraphTokenSource } from '../shared/auth/onBehalfOf';
import { createSsoTokenValidator, type SsoUser } from '../shared/auth/ssoToken';
import { configFor } from '../tests/support/desk';
import { InMemoryTokenCacheStore } from '../shared/auth/tokenCache';
import { measure, printTable } from './stats';

const USERS = 1_000;
const seed = testSeed();
const id = (i: number) => `60000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
for (let i = 0; i < USERS + 60; i++) seed.users.push({ id: id(i), givenName: 'Person', surname: String(i), userPrincipalName: `t${i}` });
const dt = await startTestTenant({ seed });
try {
  const config = configFor(dt);
  const validate = createSsoTokenValidator(config);
  const users: SsoUser[] = [];
  for (let i = 0; i < USERS + 60; i++) users.push(await validate(await dt.ssoToken(`t${i}`)));
  const rows = [];
  for (const [label, tokens] of [
    ['in-memory cache', createGraphTokenSource(config)],
    ['shared store, partition per user', createGraphTokenSource(config, { cacheStore: new InMemoryTokenCacheStore() })],
  ] as const) {
    for (const u of users.slice(0, USERS)) await tokens.forUser(u);
    let next = USERS;
    rows.push(
      await measure(`${label}: Graph token, cached (${USERS} users cached)`, 2_000, async () => void (await tokens.forUser(users[0]!))),
      await measure(`${label}: exchange for one more user (${USERS}+ cached)`, 50, async () => void (await tokens.forUser(users[next++]!))),
    );
  }
  printTable(rows);
} finally {
  await dt.close();
}
