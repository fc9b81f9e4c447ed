/** Turns an OAuth `scope` parameter into the resource and permissions it asks for, as Entra does. */
import { entraError } from './entraErrors';
import { GRAPH_APP_ID, GRAPH_DELEGATED_SCOPES, GRAPH_RESOURCE, OIDC_SCOPES } from './constants';
import { appIdUri } from './tokens';
import type { Tenant } from '../tenant/tenant';

export type Resource = 'graph' | 'app';

export interface ResolvedScopes {
  resource: Resource;
  /** Named permissions (e.g. "User.Read"); empty with .default. */
  scopes: string[];
  isDefault: boolean;
  oidc: string[];
}

export function resolveScopes(tenant: Tenant, scopeParam: string | undefined): ResolvedScopes {
  if (!scopeParam || !scopeParam.trim()) {
    throw entraError(900144, 'invalid_request', "The request body must contain the following parameter: 'scope'.");
  }
  const all = scopeParam.split(/\s+/).filter(Boolean);
  const oidc = all.filter((s) => OIDC_SCOPES.has(s.toLowerCase()));
  const rest = all.filter((s) => !OIDC_SCOPES.has(s.toLowerCase()));
  const appPrefixes = [appIdUri(tenant), tenant.app.clientId, `api://${tenant.app.clientId}`].map((p) => p.toLowerCase());
  let resource: Resource | undefined;
  const scopes: string[] = [];
  let isDefault = false;
  for (const s of rest) {
    const lower = s.toLowerCase();
    let res: Resource;
    let name: string;
    const appPrefix = appPrefixes.find((p) => lower.startsWith(`${p}/`));
    if (appPrefix) {
      res = 'app';
      name = s.slice(appPrefix.length + 1);
    } else if (lower.startsWith(`${GRAPH_RESOURCE}/`) || lower.startsWith(`${GRAPH_APP_ID}/`)) {
      res = 'graph';
      name = s.slice(s.indexOf('/', 8) + 1);
    } else if (!s.includes('/') && !s.includes(':')) {
      res = 'graph'; // a bare permission name means Graph
      name = s;
    } else {
      throw entraError(
        500011,
        'invalid_resource',
        `The resource principal named ${s.replace(/\/[^/]*$/, '')} was not found in the tenant named ${tenant.displayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
      );
    }
    if (resource && resource !== res) {
      throw entraError(
        70011,
        'invalid_scope',
        `The provided value for the input parameter 'scope' is not valid. The scope ${scopeParam} is not valid. Scopes for more than one resource were requested.`,
      );
    }
    resource = res;
    if (name === '.default') isDefault = true;
    else scopes.push(name);
  }
  if (!resource) {
    throw entraError(
      70011,
      'invalid_scope',
      `The provided value for the input parameter 'scope' is not valid. The scope ${scopeParam} is not valid. A resource scope is required.`,
    );
  }
  if (isDefault && scopes.length > 0) {
    throw entraError(
      70011,
      'invalid_scope',
      `The provided value for the input parameter 'scope' is not valid. The scope ${scopeParam} is not valid. static scope limit exceeded.`,
    );
  }
  if (resource === 'graph') {
    for (const s of scopes) {
      if (!GRAPH_DELEGATED_SCOPES.some((g) => g.toLowerCase() === s.toLowerCase())) {
        throw entraError(
          70011,
          'invalid_scope',
          `The provided value for the input parameter 'scope' is not valid. The scope ${s} is not valid.`,
        );
      }
    }
  } else {
    for (const s of scopes) {
      if (s !== 'access_as_user') {
        throw entraError(
          70011,
          'invalid_scope',
          `The provided value for the input parameter 'scope' is not valid. The scope ${s} is not valid. The app exposes only access_as_user.`,
        );
      }
    }
  }
  const canonical = scopes.map((s) => GRAPH_DELEGATED_SCOPES.find((g) => g.toLowerCase() === s.toLowerCase()) ?? s);
  return { resource, scopes: canonical, isDefault, oidc };
}
