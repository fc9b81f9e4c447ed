/**
 * Tokens for Graph: on-behalf-of the signed-in user, and app-only. One ConfidentialClientApplication
 * per process, so MSAL's cache serves repeated calls; with a shared store, msal-node's distributed-cache
 * pattern (a client per exchange on the user's partition) lets other instances use the same tokens.
 * Failures are classified, never all "consent".
 */
import { readFileSync } from 'node:fs';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { AuthError, ConfidentialClientApplication, InteractionRequiredAuthError, ServerError, type Configuration } from '@azure/msal-node';
import type { DelegateDeskConfig } from '../config';
import {
  AuthConfigurationError,
  AuthServiceError,
  ClaimsChallengeError,
  ConsentRequiredError,
  DelegateDeskError,
  InvalidAssertionError,
} from '../errors';
import { cachePluginFor, type TokenCacheStore } from './tokenCache';
import type { SsoUser } from './ssoToken';
import { TtlCache } from '../cache';

/** A token is renewed this long before it expires (MSAL's own default offset). */
const RENEW_BEFORE_MS = 5 * 60_000;

export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';
const GRAPH = 'https://graph.microsoft.com/';

/** The delegated permissions the app asks for (shown in consent errors). */
export const APP_DELEGATED_SCOPES = [
  'User.Read',
  'User.ReadBasic.All',
  'CallDelegation.Read',
  'Presence.Read.All',
  'Presence.ReadWrite',
  'OnlineMeetings.ReadWrite',
  // Meet now sends invitations through a calendar event (shared/desk/meetings.ts).
  'Calendars.ReadWrite',
];

function credential(config: DelegateDeskConfig): Configuration['auth'] {
  if (config.clientSecret) return { clientId: config.clientId, clientSecret: config.clientSecret };
  const pem = readFileSync(config.certificate!.path, 'utf8');
  const cert = new X509Certificate(pem);
  const privateKey = createPrivateKey({ key: pem, passphrase: config.certificate!.password })
    .export({ format: 'pem', type: 'pkcs8' })
    .toString();
  return {
    clientId: config.clientId,
    clientCertificate: { thumbprintSha256: cert.fingerprint256.replace(/:/g, ''), privateKey, x5c: cert.toString() },
  };
}

export interface GraphTokenSource {
  /** A Graph token for the user behind the SSO token. */
  forUser(user: SsoUser): Promise<string>;
  /** An app-only Graph token (client credentials), for what Graph allows only to applications. */
  forApp(): Promise<string>;
  /** Reads what the first exchange would wait for (the authority's metadata), before anyone asks. Never rejects. */
  warmUp(): Promise<void>;
}

/**
 * One more try when the request never got an answer (msal's network_error: a refused or dropped
 * connection, such as a pooled one the server had closed). Answers from Entra ID are never retried here.
 */
async function retryNetworkFailure<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (e) {
    if (!(e instanceof AuthError) || e.errorCode !== 'network_error') throw e;
    await new Promise((r) => setTimeout(r, 200));
    return request();
  }
}

export function createGraphTokenSource(config: DelegateDeskConfig, opts: { cacheStore?: TokenCacheStore } = {}): GraphTokenSource {
  const authority = `${config.authorityHost}/${config.tenantId}`;
  const base: Configuration = {
    auth: {
      ...credential(config),
      authority,
      // Skips cloud instance discovery; the authority host is trusted configuration.
      knownAuthorities: [new URL(config.authorityHost).host],
    },
    system: { loggerOptions: { piiLoggingEnabled: false, logLevel: 0, loggerCallback: () => {} } },
  };
  const store = opts.cacheStore;

  // Without a store: one client for the process and MSAL's in-memory cache. With a shared store, msal-node's
  // distributed-cache pattern: a client per exchange bound to the user's partition (MSAL's memory is per
  // client, so concurrent users never mix), given the authority's metadata fetched once, not per client.
  const single = store ? undefined : new ConfidentialClientApplication(base);
  const app = store ? new ConfidentialClientApplication({ ...base, cache: { cachePlugin: cachePluginFor(store, 'app') } }) : single!;
  let metadata: Promise<string> | undefined;
  const authorityMetadata = () =>
    (metadata ??= fetch(`${authority}/v2.0/.well-known/openid-configuration`)
      .then(async (res) => {
        if (!res.ok) throw new Error(`the authority's metadata answered ${res.status}`);
        return res.text();
      })
      .catch((e: unknown) => {
        metadata = undefined;
        throw new AuthServiceError("Entra ID's metadata could not be read.", { cause: e });
      }));
  const clientFor = async (user: SsoUser) =>
    single ??
    new ConfidentialClientApplication({
      ...base,
      auth: { ...base.auth, authorityMetadata: await authorityMetadata() },
      cache: { cachePlugin: cachePluginFor(store!, user.oid) },
    });

  const exchange = async (user: SsoUser) => {
    try {
      const cca = await clientFor(user);
      if (store) await cca.getTokenCache().getAllAccounts(); // loads the user's partition
      // Named scopes, not .default: MSAL's cache matches the scopes it asked for against those returned.
      const result = await retryNetworkFailure(() =>
        cca.acquireTokenOnBehalfOf({ oboAssertion: user.token, scopes: APP_DELEGATED_SCOPES.map((s) => GRAPH + s) }),
      );
      if (!result?.accessToken) throw new AuthServiceError('Entra ID returned no token.');
      return { token: result.accessToken, expiresOn: result.expiresOn?.getTime() ?? Date.now() + RENEW_BEFORE_MS };
    } catch (e) {
      throw e instanceof DelegateDeskError ? e : classifyAuthError(e);
    }
  };

  // Every Graph request asks for a token, and MSAL's lookup scans its whole in-memory cache on the event
  // loop (measured: 0.2 ms per hit with one user cached, 17.8 ms with 2,000). The token MSAL gave for an SSO token is kept here by that token's hash; MSAL is asked
  // again for a new SSO token, or when the Graph token is about to expire. Concurrent requests for one
  // SSO token share one exchange.
  const issued = new TtlCache<{ token: string; expiresOn: number }>(2 * 3_600_000, 20_000);
  const pending = new Map<string, Promise<string>>();

  return {
    // The one process-wide client reads the metadata itself on its first exchange.
    warmUp: () =>
      store
        ? authorityMetadata().then(
            () => undefined,
            () => undefined,
          )
        : Promise.resolve(),
    forUser: (user) => {
      const key = `${user.oid}:${user.tokenKey}`;
      const hit = issued.get(key);
      if (hit && hit.expiresOn - RENEW_BEFORE_MS > Date.now()) return Promise.resolve(hit.token);
      let exchanging = pending.get(key);
      if (!exchanging) {
        exchanging = exchange(user)
          .then(({ token, expiresOn }) => {
            issued.set(key, { token, expiresOn });
            return token;
          })
          .finally(() => pending.delete(key));
        pending.set(key, exchanging);
      }
      return exchanging;
    },
    async forApp() {
      try {
        if (store) await app.getTokenCache().getAllAccounts(); // loads the app's partition
        const result = await retryNetworkFailure(() => app.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT_SCOPE] }));
        if (!result?.accessToken) throw new AuthServiceError('Entra ID returned no token.');
        return result.accessToken;
      } catch (e) {
        throw classifyAuthError(e);
      }
    },
  };
}

const aadCode = (e: AuthError) => /AADSTS(\d+)/.exec(`${e.errorMessage} ${e.message}`)?.[1];

/** Turns MSAL's errors into the module's: consent, claims, assertion, configuration or service. */
export function classifyAuthError(e: unknown): DelegateDeskError {
  if (e instanceof DelegateDeskError) return e;
  if (e instanceof InteractionRequiredAuthError) {
    const code = aadCode(e);
    if (e.claims) return new ClaimsChallengeError(e.claims, { cause: e });
    if (e.subError === 'consent_required' || code === '65001' || e.errorCode === 'consent_required')
      return new ConsentRequiredError(APP_DELEGATED_SCOPES, { cause: e });
    return new ClaimsChallengeError('', { cause: e });
  }
  if (e instanceof ServerError || e instanceof AuthError) {
    const code = aadCode(e);
    if (code === '500133')
      return new InvalidAssertionError('expired', 'The SSO token has expired; get a new one and try again.', { cause: e });
    if (code === '50013' || code === '50027')
      return new InvalidAssertionError('invalid', 'Entra ID refused the SSO token for on-behalf-of.', { cause: e });
    if (code === '65001') return new ConsentRequiredError(APP_DELEGATED_SCOPES, { cause: e });
    if (
      ['7000215', '7000222', '7000218', '700016', '70011', '500011', '700023', '90002', '1002012'].includes(code ?? '') ||
      e.errorCode === 'invalid_client' ||
      e.errorCode === 'unauthorized_client'
    ) {
      return new AuthConfigurationError(
        code ? `AADSTS${code}` : e.errorCode,
        `Entra ID refused the app's configuration (${code ? `AADSTS${code}` : e.errorCode}). An administrator must check the app registration and its credential.`,
        { cause: e },
      );
    }
    return new AuthServiceError(`Entra ID could not issue a token (${e.errorCode}).`, { cause: e });
  }
  return new AuthServiceError('Entra ID could not be reached.', { cause: e });
}
