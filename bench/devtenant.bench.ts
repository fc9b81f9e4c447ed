/**
 * Dev tenant round trips with the real clients, on loopback: how much of a product request's time
 * the simulated services themselves take.
 */
import { startTestTenant } from '../devtenant/testkit';
import { measure, printTable } from './stats';

const dt = await startTestTenant({ fixedClock: undefined });
try {
  const ids = Array.from({ length: 650 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
  const graphToken = await dt.graphToken('ada');
  const client = dt.graph(graphToken);
  const rows = [
    await measure('password grant (SSO token)', 100, () => dt.ssoToken('ada')),
    await measure('on-behalf-of, new assertion each time (msal-node)', 100, async () => {
      await dt.msal().acquireTokenOnBehalfOf({ oboAssertion: await dt.ssoToken('ben'), scopes: ['https://graph.microsoft.com/User.Read'] });
    }),
    await measure('GET /beta/me/communications/callSettings/delegates', 200, () =>
      dt.graph(graphToken, 'beta').api('/me/communications/callSettings/delegates').get(),
    ),
    await measure('POST getPresencesByUserId (650 ids)', 200, () => client.api('/communications/getPresencesByUserId').post({ ids })),
    await measure('POST $batch of 20 GET /users/{id}', 100, () =>
      client.api('/$batch').post({
        requests: Array.from({ length: 20 }, (_, i) => ({
          id: String(i),
          method: 'GET',
          url: '/users/00000000-0000-4000-8000-000000000002',
        })),
      }),
    ),
  ];
  printTable(rows);
} finally {
  await dt.close();
}
