import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { TEAMS_SSO_CLIENT_IDS } from '../shared';
import { loadConfig, ConfigurationError } from './config';

const CLIENT_ID = '3F6B9D2E-1C4A-4E8B-A7D5-9B2E6C0F1A83';
/** A real-tenant configuration: the Entra app, its credential, the bot registration (same id) and the domain. */
const prod = {
  AAD_APP_CLIENT_ID: CLIENT_ID,
  AAD_APP_TENANT_ID: '8b2c5a41-7d3e-4f6a-9c21-5e0d3b7a1f64',
  AAD_APP_CLIENT_SECRET: 'secret',
  TAB_DOMAIN: 'delegatedesk.example.com',
  BOT_ID: CLIENT_ID.toLowerCase(),
  BOT_PASSWORD: 'secret',
};
/** Local development: what `npm start` sets (the dev tenant's base URLs, the local host, the dev identity). */
const dev = {
  ...prod,
  BOT_ID: undefined,
  BOT_PASSWORD: undefined,
  TAB_DOMAIN: 'localhost',
  AAD_APP_OAUTH_AUTHORITY_HOST: 'https://localhost:3979/',
  GRAPH_BASE_URL: 'https://localhost:3979',
  DEVTENANT_CONFIG_URL: 'https://localhost:3979/devtenant/config',
  LOCAL_TEAMS_HOST_ORIGIN: 'http://localhost:3980',
};
const load = (env: Record<string, string | undefined>) => loadConfig(env, { staticDir: '/x' });
const problems = (env: Record<string, string | undefined>) => {
  try {
    load(env);
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigurationError);
    return (e as Error).message;
  }
};

describe('the one configuration', () => {
  it('defaults to the real cloud and derives the App ID URI and the public origin once', () => {
    expect(load(prod)).toEqual({
      graph: {
        clientId: '3f6b9d2e-1c4a-4e8b-a7d5-9b2e6c0f1a83',
        tenantId: '8b2c5a41-7d3e-4f6a-9c21-5e0d3b7a1f64',
        clientSecret: 'secret',
        authorityHost: 'https://login.microsoftonline.com',
        graphBaseUrl: 'https://graph.microsoft.com',
        appIdUri: 'api://delegatedesk.example.com/botid-3f6b9d2e-1c4a-4e8b-a7d5-9b2e6c0f1a83',
        allowedTenantIds: ['8b2c5a41-7d3e-4f6a-9c21-5e0d3b7a1f64'],
        allowedClientIds: [...TEAMS_SSO_CLIENT_IDS],
      },
      server: {
        port: 3978,
        listenHost: undefined,
        localHostOrigin: undefined,
        publicOrigin: 'https://delegatedesk.example.com',
        pollSeconds: 30,
        staticDir: '/x',
        instanceName: `${hostname()}:3978`,
      },
      bot: { kind: 'botFramework', appId: '3f6b9d2e-1c4a-4e8b-a7d5-9b2e6c0f1a83', password: 'secret' },
      storage: { kind: 'memory', tokenCache: 'partitioned' },
      watch: { pollSeconds: 30 },
    });
    expect(load({ ...prod, TAB_DOMAIN: undefined, APP_ID_URI: `api://other.example.net/botid-${CLIENT_ID}` }).server.publicOrigin).toBe(
      'https://other.example.net',
    );
    expect(load({ ...prod, PORT: '8080', TOKEN_CACHE: 'process' })).toMatchObject({
      server: { port: 8080 },
      storage: { tokenCache: 'process' },
    });
  });

  it('points at the dev tenant by configuration alone', () => {
    const c = load(dev);
    expect([c.graph.authorityHost, c.graph.graphBaseUrl]).toEqual(['https://localhost:3979', 'https://localhost:3979']);
    // Loopback only: the dev identity signs chat users in without SSO.
    expect(c.server).toMatchObject({
      listenHost: '127.0.0.1',
      localHostOrigin: 'http://localhost:3980',
      publicOrigin: 'http://localhost:3978',
    });
    expect(c.bot).toEqual({ kind: 'devTenant', configUrl: dev.DEVTENANT_CONFIG_URL });
  });

  it('names the instance (X-Served-By) and, behind a local entry point, the port people reach', () => {
    expect(load({ ...prod, INSTANCE_NAME: 'instance-2' }).server.instanceName).toBe('instance-2');
    expect(load({ ...prod, WEBSITE_INSTANCE_ID: 'a1b2c3d4e5f6a7b8c9d0' }).server.instanceName).toBe('a1b2c3d4e5f6');
    expect(problems({ ...prod, INSTANCE_NAME: 'two words' })).toMatch(/INSTANCE_NAME must be 1 to 64/);
    expect(load({ ...dev, PORT: '41001', PUBLIC_PORT: '3978' }).server).toMatchObject({
      port: 41001,
      publicOrigin: 'http://localhost:3978',
    });
    expect(problems({ ...prod, PUBLIC_PORT: '3978' })).toMatch(/PUBLIC_PORT is for local development only/);
  });

  it('names every problem at once', () => {
    const msg = problems({ AAD_APP_CLIENT_ID: 'nope', GRAPH_BASE_URL: 'http://insecure', PORT: 'abc', TOKEN_CACHE: 'redis' });
    for (const expected of [
      'AAD_APP_CLIENT_ID must be the Entra app (client) id (a GUID)',
      'AAD_APP_TENANT_ID is missing',
      'GRAPH_BASE_URL must use https',
      'AAD_APP_CLIENT_SECRET or AAD_APP_CERTIFICATE_PATH',
      'TAB_DOMAIN',
      'PORT must be a port number',
      'BOT_ID is missing',
      "TOKEN_CACHE must be 'process' or 'partitioned'",
    ])
      expect(msg).toContain(expected);
  });

  it('shares state on Redis with REDIS_URL (redis:// or rediss://), the token cache partitioned', () => {
    const azure = 'rediss://:k3y%2Bsecret@dd.redis.cache.windows.net:6380';
    expect(load({ ...prod, REDIS_URL: azure }).storage).toEqual({ kind: 'redis', url: azure, tokenCache: 'partitioned' });
    expect(load({ ...prod, REDIS_URL: 'redis://127.0.0.1:6379', TOKEN_CACHE: 'partitioned' }).storage.kind).toBe('redis');
    for (const bad of ['http://dd.redis.cache.windows.net', 'dd.redis.cache.windows.net:6380', 'redis://']) {
      expect(problems({ ...prod, REDIS_URL: bad }), bad).toMatch(/REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
    }
    // The access key never appears in a message.
    expect(problems({ ...prod, REDIS_URL: 'https://:s3cret@x', TOKEN_CACHE: 'process' })).not.toContain('s3cret');
    expect(problems({ ...prod, REDIS_URL: azure, TOKEN_CACHE: 'process' })).toMatch(/TOKEN_CACHE=process cannot be used with REDIS_URL/);
  });

  it('refuses two credentials and bad tenant ids', () => {
    expect(problems({ ...prod, AAD_APP_CERTIFICATE_PATH: '/x.pem' })).toMatch(/only one/);
    expect(problems({ ...prod, ALLOWED_TENANT_IDS: 'abc' })).toMatch(/not a tenant GUID/);
    expect(
      load({ ...prod, ALLOWED_TENANT_IDS: `${prod.AAD_APP_TENANT_ID}, 11111111-2222-4333-8444-555555555555` }).graph.allowedTenantIds,
    ).toHaveLength(2);
    expect(problems({ ...prod, SSO_CLIENT_IDS: 'teams' })).toMatch(/SSO_CLIENT_IDS: 'teams' is not a client app id/);
    expect(load({ ...prod, SSO_CLIENT_IDS: '11111111-2222-4333-8444-555555555555' }).graph.allowedClientIds).toEqual([
      '11111111-2222-4333-8444-555555555555',
    ]);
  });

  it('refuses a bot registration that is not the Entra app (the SSO resource names one app)', () => {
    expect(problems({ ...prod, BOT_ID: '11111111-2222-4333-8444-555555555555' })).toMatch(
      /BOT_ID \(11111111-2222-4333-8444-555555555555\) must equal AAD_APP_CLIENT_ID/,
    );
    // Case does not matter: both are GUIDs.
    expect(load({ ...prod, BOT_ID: CLIENT_ID }).bot).toMatchObject({ appId: CLIENT_ID.toLowerCase() });
  });

  it('names every missing or conflicting bot and local-development setting', () => {
    expect(problems({ ...prod, BOT_ID: undefined })).toMatch(/BOT_ID is missing/);
    expect(problems({ ...prod, TAB_DOMAIN: undefined, APP_ID_URI: 'api://nodomain' })).toMatch(/APP_ID_URI must name the tab's domain/);
    expect(problems({ ...prod, BOT_PASSWORD: undefined })).toMatch(/BOT_PASSWORD is missing/);
    expect(problems({ ...prod, DEVTENANT_CONFIG_URL: dev.DEVTENANT_CONFIG_URL })).toMatch(/cannot be used while BOT_ID is set/);
    expect(problems({ ...prod, BOT_ID: 'bot' })).toMatch(/BOT_ID must be .* GUID/);
    expect(problems({ ...dev, LOCAL_TEAMS_HOST_ORIGIN: 'https://evil.example' })).toMatch(/local development only/);
    // The dev identity only for local development against a dev tenant on this machine.
    expect(problems({ ...dev, LOCAL_TEAMS_HOST_ORIGIN: undefined })).toMatch(/local development only/);
    expect(problems({ ...dev, DEVTENANT_CONFIG_URL: 'https://tenant.example.net/devtenant/config' })).toMatch(/on this machine/);
  });
});
