/**
 * What the tab waits for, all started at once from its first module line: the configuration (already in
 * flight: index.html preloads it), the page's code, Teams' initialisation with the SSO token beside the
 * context, and the view as soon as the token exists. Nothing waits for React or for a render.
 */
import type { DelegationView } from '../../shared/domain/delegationView';
import { fetchConfig, fetchDelegation, type TabConfig } from './api';
import { startTeams, type TeamsHost } from './teams';

/** The first load's token and view, asked for before the page is rendered (see useDelegation). */
export interface FirstLoad {
  token: Promise<string>;
  view: Promise<DelegationView>;
}

export interface Boot {
  config: Promise<TabConfig>;
  page: Promise<typeof import('./App')>;
  host: Promise<TeamsHost>;
  first: FirstLoad;
}

/** Whoever takes the promise later sees its failure; until then it is not an unhandled rejection. */
const handled = <T>(p: Promise<T>): Promise<T> => {
  p.catch(() => undefined);
  return p;
};

export function startTab(): Boot {
  const config = handled(fetchConfig());
  const page = handled(import('./App'));
  // teams-js accepts messages only from Teams' own origins and these: the local Teams host, and only when
  // the server says this is local development. So initialisation waits for the configuration, which
  // index.html has been fetching since before the scripts arrived: it is there when this code runs.
  const teams = config.then((c) => startTeams(c.localHostOrigin ? [c.localHostOrigin] : undefined));
  const host = handled(teams.then((t) => t.host));
  const token = handled(teams.then((t) => t.token));
  const view = handled(token.then((t) => fetchDelegation(t)));
  return { config, page, host, first: { token, view } };
}
