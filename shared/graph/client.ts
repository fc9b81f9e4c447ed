/** A Graph client per token source: our retry, then authentication, then HTTP. */
import { AuthenticationHandler, Client, HTTPMessageHandler, type AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import { RetryMiddleware, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';

export interface GraphClientOptions {
  graphBaseUrl: string;
  retry?: Partial<RetryPolicy>;
}

export function createGraphClient(getToken: () => Promise<string>, opts: GraphClientOptions): Client {
  const auth: AuthenticationProvider = { getAccessToken: getToken };
  const retry = new RetryMiddleware({ ...DEFAULT_RETRY_POLICY, ...opts.retry });
  const authentication = new AuthenticationHandler(auth);
  const http = new HTTPMessageHandler();
  retry.setNext(authentication);
  authentication.setNext(http);
  return Client.initWithMiddleware({
    middleware: retry,
    baseUrl: opts.graphBaseUrl,
    // The authentication handler only attaches tokens for Graph's hosts or these.
    customHosts: new Set([new URL(opts.graphBaseUrl).hostname]),
    defaultVersion: 'v1.0',
  });
}
