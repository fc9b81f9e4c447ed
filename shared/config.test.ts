import { describe, expect, it } from 'vitest';
import { loadConfig, ConfigurationError } from './config';

const base = {
  AAD_APP_CLIENT_ID: '3F6B9D2E-1C4A-4E8B-A7D5-9B2E6C0F1A83',
  AAD_APP_TENANT_ID: '8b2c5a41-7d3e-4f6a-9c21-5e0d3b7a1f64',
  AAD_APP_CLIENT_SECRET: 'secret',
  TAB_DOMAIN: 'delegatedesk.example.com',
};

describe('loadConfig', () => {
  it('defaults to the real cloud and derives the App ID URI', () => {
    expect(loadConfig(base)).toEqual({
      clientId: '3f6b9d2e-1c4a-4e8b-a7d5-9b2e6c0f1a83',
      tenantId: '8b2c5a41-7d3e-4f6a-9c21-5e0d3b7a1f64',
      clientSecret: 'secret',
      authorityHost: 'https://login.microsoftonline.com',
      graphBaseUrl: 'https://graph.microsoft.com',
      appIdUri: 'api://delegatedesk.example.com/botid-3f6b9d2e-1c4a-4e8b-a7d5-9b2e6c0f1a83',
      allowedTenantIds: ['8b2c5a41-7d3e-4f6a-9c21-5e0d3b7a1f64'],
    });
  });

  it('points at the dev tenant by configuration alone', () => {
    const c = loadConfig({ ...base, AAD_APP_OAUTH_AUTHORITY_HOST: 'https://localhost:3979/', GRAPH_BASE_URL: 'https://localhost:3979' });
    expect([c.authorityHost, c.graphBaseUrl]).toEqual(['https://localhost:3979', 'https://localhost:3979']);
  });

  it('names every problem at once', () => {
    try {
      loadConfig({ AAD_APP_CLIENT_ID: 'nope', GRAPH_BASE_URL: 'http://insecure' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigurationError);
      const msg = (e as Error).message;
      expect(msg).toContain('AAD_APP_CLIENT_ID must be a GUID');
      expect(msg).toContain('AAD_APP_TENANT_ID is missing');
      expect(msg).toContain('GRAPH_BASE_URL must use https');
      expect(msg).toContain('AAD_APP_CLIENT_SECRET or AAD_APP_CERTIFICATE_PATH');
      expect(msg).toContain('TAB_DOMAIN');
    }
  });

  it('refuses two credentials and bad tenant ids', () => {
    expect(() => loadConfig({ ...base, AAD_APP_CERTIFICATE_PATH: '/x.pem' })).toThrow(/only one/);
    expect(() => loadConfig({ ...base, ALLOWED_TENANT_IDS: 'abc' })).toThrow(/not a tenant GUID/);
    expect(loadConfig({ ...base, ALLOWED_TENANT_IDS: `${base.AAD_APP_TENANT_ID}, 11111111-2222-4333-8444-555555555555` }).allowedTenantIds).toHaveLength(2);
  });
});
