/**
 * The tab API's wire types, shared by the server that sends them and the tab that reads them.
 * Browser-safe: types only.
 */
import type { ErrorCode, SsoTokenProblem } from './errors';
import type { PresenceView } from './domain/delegationView';

/** Codes only the HTTP layer produces (a malformed request, a route's own answer). */
export type HttpErrorCode = 'badRequest' | 'noPhoto' | 'internal' | WatchErrorCode;

/**
 * Watches ("tell me when X is free"): botNotInstalled: the bot has no conversation with the user yet, so
 * it could not message them (the answer carries `botChatUrl`); watchLimit: the user has the most watches
 * allowed; watchYourself: a watch on the user's own presence.
 */
export type WatchErrorCode = 'botNotInstalled' | 'watchLimit' | 'watchYourself';

/** Every `error.code` the tab API can send. */
export type ApiErrorCode = ErrorCode | HttpErrorCode;

/** The body of every error answer of the tab API. */
export interface ApiError {
  error: {
    code: ApiErrorCode;
    /** Words for the person, safe to show. */
    message: string;
    /** The server's reference for this failure (also the `request-id` header), for an administrator. */
    requestId?: string;
    /** invalidToken: what was wrong with the token. */
    reason?: SsoTokenProblem;
    /** consentRequired: the permissions to ask for. */
    scopes?: string[];
    /** claimsChallenge: the claims to request a new token with. */
    claims?: string;
    /** throttled: when to try again. */
    retryAfterSeconds?: number;
    /** botNotInstalled: a Teams deep link that opens the chat with the bot (adding it starts the conversation). */
    botChatUrl?: string;
  };
}

/** What the tab needs before it has a token: nothing secret. */
export interface TabConfig {
  clientId: string;
  tenantId: string;
  authorizeUrl: string;
  consentScopes: string;
  localHostOrigin: string | null;
  pollSeconds: number;
}

/**
 * Whether the tab's presence is pushed (a Graph subscription holds its people) or polled, and why not.
 * tokenTooOld: the SSO token sent was too close to its expiry to renew the subscription with.
 */
export type LiveStatus =
  | { mode: 'live'; subscribed: number; polled: number; expiresAt: string }
  | { mode: 'paused'; reason: 'tokenTooOld' | 'unavailable' | 'disabled' | 'nobody' };

export interface LiveTicket {
  /** Single use, for GET /api/live/stream?ticket=…; never the SSO token (it would end up in URLs and logs). */
  ticket: string;
  expiresInSeconds: number;
  status: LiveStatus;
}

/** The push stream's events (Server-Sent Events, `event:` name → `data:` JSON). */
export interface LiveEvents {
  status: LiveStatus;
  presence: { id: string; presence: PresenceView | null };
}

/** What a watch waits for: free = Available; back = at their desk again (anything but Away, Be right back, Offline). */
export type WatchCondition = 'free' | 'back';

/** One pending "tell me when X is free", as the tab and the bot list it. */
export interface WatchView {
  personId: string;
  displayName: string;
  condition: WatchCondition;
  /** When the watch ends unfired (ISO 8601). */
  until: string;
  createdAt: string;
}

/** POST /api/watches body. minutes: how long to watch (default: to the end of the person's working day, at most 12 h). */
export interface WatchRequest {
  personId: string;
  condition?: WatchCondition;
  minutes?: number;
}

/**
 * POST /api/watches answer: 201 `watching` (the bot will message the user in chat), or 200
 * `alreadyMet` with the presence that already meets the condition (no watch is kept).
 */
export type WatchResult = { outcome: 'watching'; watch: WatchView } | { outcome: 'alreadyMet'; presence: PresenceView | null };

/** GET /api/watches answer. DELETE /api/watches/:personId ends one (204; 404 when there is none). */
export interface WatchList {
  watches: WatchView[];
  /** The most a user may hold at once. */
  limit: number;
}
