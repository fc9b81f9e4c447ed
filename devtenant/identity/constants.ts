export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const GRAPH_AUDIENCES = new Set([GRAPH_RESOURCE, `${GRAPH_RESOURCE}/`, GRAPH_APP_ID]);

/** Teams and Microsoft 365 client ids that the app pre-authorizes on access_as_user. */
export const TEAMS_CLIENT_IDS: Record<string, string> = {
  '1fec8e78-bce4-4aaf-ab1b-5451cc387264': 'Microsoft Teams (desktop and mobile)',
  '5e3ce6c0-2b1f-4285-8d4b-75ee78787346': 'Microsoft Teams (web)',
  '4765445b-32c6-49b0-83e6-1d93765276ca': 'Microsoft 365 (web)',
  '0ec893e0-5785-4de6-99da-4ed124e5296c': 'Microsoft 365 (desktop)',
  'd3590ed6-52b3-4102-aeff-aad2292ab01c': 'Microsoft 365 (mobile) / Outlook (desktop)',
  'bc59ab01-8403-45c6-8796-ac3ef710b3e3': 'Outlook (web)',
  '27922004-5251-4030-b22d-91ecd9a37ea4': 'Outlook (mobile)',
};

/** Delegated Graph permissions the dev tenant knows; any other named scope is AADSTS70011. */
export const GRAPH_DELEGATED_SCOPES = [
  'User.Read',
  'User.ReadBasic.All',
  'User.Read.All',
  'Directory.Read.All',
  'CallDelegation.Read',
  'CallDelegation.ReadWrite',
  'Presence.Read',
  'Presence.Read.All',
  'Presence.ReadWrite',
  'OnlineMeetings.Read',
  'OnlineMeetings.ReadWrite',
  'Chat.ReadBasic',
  'Calendars.Read',
  'Calendars.ReadWrite',
  'Mail.Send',
];
export const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

/** The app id Graph change notifications are published under (validationTokens' appid). */
export const GRAPH_NOTIFICATION_PUBLISHER_APP_ID = '0bf30f3b-4a52-48df-9a82-234910c4a086';
