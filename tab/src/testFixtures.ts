/** What the tab's unit tests share: a configuration as /api/config answers it, and a Teams host that does nothing. */
import { vi } from 'vitest';
import type { TabConfig } from '../../shared/api';
import type { TeamsHost } from './teams';

export const TEST_CONFIG: TabConfig = {
  clientId: 'cid',
  tenantId: 'tid',
  authorizeUrl: 'https://login.example/tid/oauth2/v2.0/authorize',
  consentScopes: 'x',
  localHostOrigin: null,
  pollSeconds: 30,
};

/** Eve's Teams, its actions recorded (vi.fn), with whatever a test changes. */
export const testHost = (overrides: Partial<TeamsHost> = {}): TeamsHost => ({
  theme: 'default',
  loginHint: 'eve@t',
  onThemeChange: () => {},
  getToken: async () => 'sso-token',
  authenticate: vi.fn(async () => 'consented'),
  startCall: vi.fn(async () => {}),
  openChat: vi.fn(async () => {}),
  openLink: vi.fn(async () => {}),
  tenantId: 'tid',
  ...overrides,
});
