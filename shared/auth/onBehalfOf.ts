/**
 * Tokens for Graph: on-behalf-of the signed-in user, and app-only. One ConfidentialClientApplication
 * per process, so MSAL's cache serves repeated calls. Failures are classified, never all "consent".
 */
import { readFileSync } from 'node:fs';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { AuthError, ConfidentialClientApplication, InteractionRequiredAuthError, ServerError, type Configuration } from '@azure/msal-node';
import type { DelegateDeskConfig } from '../config';
import {
  AuthConfigurationError, AuthServiceError, ClaimsChallengeError, ConsentRequiredError, DelegateDeskError, InvalidAssertionError,
} from '../errors';
import { cachePluginFor, withCachePartition, type TokenCacheStore } from './tokenCache';
import type { SsoUser } from './ssoToken';

export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';
const GRAPH = 'https://graph.microsoft.com/';

/** The delegated permissions the app asks for (shown in consent errors). */
export const APP_DELEGATED_SCOPES = ['User.Read', 'User.ReadBasic.All', 'CallDelegation.Read', 'Presence.Read.All', 'Presence.ReadWrite', 'OnlineMeetings.ReadWrite'];

function credential(config: DelegateDeskConfig): Configuration['auth'] {
  if (config.clientSecret) return { clientId: config.clientId, clientSecret: config.clientSecret };
  const pem = readFileSync(config.certificate!.path, 'utf8');
  const cert = new X509Certificate(pem);
  const privateKey = createPrivateKey({ key: pem, passphrase: config.certificate!.password }).export({ format: 'pem', type: 'pkcs8' }).toString();
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
}

export function createGraphTokenSource(config: DelegateDeskConfig, opts: { cacheStore?: TokenCacheStore } = {}): GraphTokenSource {
  const cca = new ConfidentialClientApplication({
    auth: {
      ...credential(config),
      authority: `${config.authorityHost}/${config.tenantId}`,
      // Skips cloud instance discovery; the authority host is trusted configuration.
      knownAuthorities: [new URL(config.authorityHost).host],
    },
    ...(opts.cacheStore ? { cache: { cachePlugin: cachePluginFor(opts.cacheStore) } } : {}),
    system: { loggerOptions: { piiLoggingEnabled: false, logLevel: 0, loggerCallback: () => {} } },
  });

  return {
    forUser: (user) =>
      withCachePartition(user.oid, async () => {
        try {
          if (opts.cacheStore) await cca.getTokenCache().getAllAccounts(); // loads this user's partition
          // Named scopes, not .default: MSAL's cache matches the scopes it asked for against those returned.
          const result = await cca.acquireTokenOnBehalfOf({ oboAssertion: user.token, scopes: APP_DELEGATED_SCOPES.map((s) => GRAPH + s) });
          if (!result?.accessToken) throw new AuthServiceError('Entra ID returned no token.');
          return result.accessToken;
        } catch (e) {
          throw classifyAuthError(e);
        }
      }),
    forApp: () =>
      withCachePartition('app', async () => {
        try {
          const result = await cca.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT_SCOPE] });
          if (!result?.accessToken) throw new AuthServiceError('Entra ID returned no token.');
          return result.accessToken;
        } catch (e) {
          throw classifyAuthError(e);
        }
      }),
  };
}

const aadCode = (e: AuthError) => /AADSTS(\d+)/.exec(`${e.errorMessage} ${e.message}`)?.[1];

/** Turns MSAL's errors into the module's: consent, claims, assertion, configuration or service. */
export function classifyAuthError(e: unknown): DelegateDeskError {
  if (e instanceof DelegateDeskError) return e;
  if (e instanceof InteractionRequiredAuthError) {
    const code = aadCode(e);
    if (e.claims) return new ClaimsChallengeError(e.claims, { cause: e });
    if (e.subError === 'consent_required' || code === '65001' || e.errorCode === 'consent_required') return new ConsentRequiredError(APP_DELEGATED_SCOPES, { cause: e });
    return new ClaimsChallengeError('', { cause: e });
  }
  if (e instanceof ServerError || e instanceof AuthError) {
    const code = aadCode(e);
    if (code === '500133') return new InvalidAssertionError('expired', 'The SSO token has expired; get a new one and try again.', { cause: e });
    if (code === '50013' || code === '50027') return new InvalidAssertionError('invalid', 'Entra ID refused the SSO token for on-behalf-of.', { cause: e });
    if (code === '65001') return new ConsentRequiredError(APP_DELEGATED_SCOPES, { cause: e });
    if (['7000215', '7000222', '7000218', '700016', '70011', '500011', '700023', '90002', '1002012'].includes(code ?? '') || e.errorCode === 'invalid_client' || e.errorCode === 'unauthorized_client') {
      return new AuthConfigurationError(code ? `AADSTS${code}` : e.errorCode, `Entra ID refused the app's configuration (${code ? `AADSTS${code}` : e.errorCode}). An administrator must check the app registration and its credential.`, { cause: e });
    }
    return new AuthServiceError(`Entra ID could not issue a token (${e.errorCode}).`, { cause: e });
  }
  return new AuthServiceError('Entra ID could not be reached.', { cause: e });
}
