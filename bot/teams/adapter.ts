/** The Bot Framework adapter: authenticated for a single-tenant app in production, open locally. */
import { TeamsAdapter } from '@microsoft/teams-ai';
import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';

export interface BotAuth {
  appId: string;
  password: string;
  tenantId: string;
}

export function createAdapter(botAuth?: BotAuth): TeamsAdapter {
  if (!botAuth) return new TeamsAdapter();
  return new TeamsAdapter(
    {},
    new ConfigurationServiceClientCredentialFactory({
      MicrosoftAppId: botAuth.appId,
      MicrosoftAppPassword: botAuth.password,
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: botAuth.tenantId,
    }),
  );
}
