/**
 * The naive peer: the delegation view written as Microsoft's Teams SSO samples write a tab's API call.
 * On every request: on-behalf-of with `skipCache: true` (the samples' middle tier), then the two
 * delegation lists, then for each person their user and their presence, one GET each. `sequential`
 * is the same loop awaited person by person, as many samples' `for … of` loops are.
 */
import { ConfidentialClientApplication } from '@azure/msal-node';
import { Client } from '@microsoft/microsoft-graph-client';

export interface NaivePeerConfig {
  clientId: string;
  clientSecret: string;
  tenantId: string;
  /** The authority host, e.g. the dev tenant's origin. */
  authorityHost: string;
  graphBaseUrl: string;
  scopes: string[];
}

interface Delegation {
  id: string;
  allowedActions?: unknown;
}

export function naivePeer(config: NaivePeerConfig) {
  const msal = new ConfidentialClientApplication({
    auth: {
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      authority: `${config.authorityHost}/${config.tenantId}`,
      knownAuthorities: [new URL(config.authorityHost).host],
    },
  });
  const graph = (token: string, version: 'v1.0' | 'beta') =>
    Client.init({
      baseUrl: config.graphBaseUrl,
      defaultVersion: version,
      customHosts: new Set([new URL(config.graphBaseUrl).hostname]),
      authProvider: (done) => done(null, token),
    });

  return async function loadView(ssoToken: string, opts: { sequential?: boolean } = {}) {
    const result = await msal.acquireTokenOnBehalfOf({ oboAssertion: ssoToken, scopes: config.scopes, skipCache: true });
    if (!result) throw new Error('on-behalf-of returned nothing');
    const beta = graph(result.accessToken, 'beta');
    const v1 = graph(result.accessToken, 'v1.0');
    const [delegates, delegators] = await Promise.all(
      (['delegates', 'delegators'] as const).map(
        async (side) => ((await beta.api(`/me/communications/callSettings/${side}`).get()) as { value: Delegation[] }).value,
      ),
    );
    const person = async (d: Delegation) => {
      const user = (await v1.api(`/users/${d.id}`).select('id,displayName,userPrincipalName').get()) as { displayName?: string };
      const presence = (await v1.api(`/users/${d.id}/presence`).get()) as { availability?: string };
      return { id: d.id, name: user.displayName, availability: presence.availability };
    };
    const all = [...(delegates ?? []), ...(delegators ?? [])];
    if (!opts.sequential) return Promise.all(all.map(person));
    const out = [];
    for (const d of all) out.push(await person(d));
    return out;
  };
}
