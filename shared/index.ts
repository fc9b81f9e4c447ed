/** Delegate Desk's Graph access module: the only way the tab and the bot reach Entra ID and Graph. */
export { TEAMS_SSO_CLIENT_IDS, type DelegateDeskConfig } from './config';
export { createDelegateDesk, type DelegateDesk, type DelegateDeskOptions } from './delegateDesk';
export type { SsoUser } from './auth/ssoToken';
export { InMemoryTokenCacheStore, type TokenCacheStore } from './auth/tokenCache';
export * from './errors';
export type { ApiError, ApiErrorCode, HttpErrorCode, TabConfig, LiveStatus, LiveTicket, LiveEvents } from './api';
export { GUID, isGuid } from './domain/guid';
export type { DelegationView, DelegationEntry, PersonView, PresenceView } from './domain/delegationView';
export { PERMISSIONS, PERMISSION_LABELS, type Permission } from './domain/permissions';
export { describePresence, reachability, type ReachState, type Verdict } from './domain/reachability';
export type { PreferredAvailability } from './graph/operations/presence';
export type { DirectoryUser } from './graph/operations/users';
