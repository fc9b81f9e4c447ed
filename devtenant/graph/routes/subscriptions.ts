/**
 * Change notification subscriptions for presence: create (with the validation handshake), list, get,
 * renew or move (PATCH), delete, reauthorize; basic and rich (encrypted) notifications, delivered in order
 * per subscription with the configured delay and retry; lifecycle events and the pause they cause.
 */
import { randomUUID, randomBytes, publicEncrypt, createCipheriv, createHmac, X509Certificate, constants } from 'node:crypto';
import type { DevTenantContext } from '../../context';
import type { GraphRoute, GraphRequest } from '../core';
import { GraphError, badRequest, notFound } from '../errors';
import { presenceJson, MAX_PRESENCE_IDS } from './presence';
import { acceptableCallbackUrl, deliver, OrderedDelivery } from '../notifications';
import { mintValidationToken } from '../../identity/tokens';

export const MAX_PRESENCE_SUBSCRIPTION_MINUTES = 60;
/** Any requested expiry under 45 minutes away is raised to 45 minutes (subscription resource, expirationDateTime). */
export const MIN_SUBSCRIPTION_MINUTES = 45;
/** UNCONFIRMED: how early Graph sends reauthorizationRequired; the dev tenant sends it 10 minutes before expiry. */
export const REAUTHORIZE_BEFORE_MS = 10 * 60_000;

export interface Subscription {
  id: string;
  resource: string;
  userIds: string[];
  applicationId: string;
  creatorId: string;
  changeType: string;
  clientState: string | null;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  expirationDateTime: string;
  includeResourceData: boolean;
  encryptionCertificate: string | null;
  encryptionCertificateId: string | null;
  latestSupportedTlsVersion: string;
  /** Last sequenceNumber notified per user, to notify only on change. */
  lastSequence: Map<string, string>;
  /** Change notifications: delivered, given up, HTTP tries, dropped (paused or gone), waiting to be sent. */
  deliveries: { ok: number; failed: number; attempts: number; dropped: number; queued: number };
  version: string;
  /** reauthorizationRequired already sent for the current expiry. */
  reauthorizationSent: boolean;
  /** After reauthorizationRequired, change notifications pause until reauthorize or renewal; changes meanwhile are lost. */
  paused: boolean;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses `communications/presences/{id}` or `/communications/presences?$filter=id in ('a','b')`. */
export function parsePresenceResource(resource: string): string[] {
  const r = resource.trim().replace(/^\//, '');
  let m = /^communications\/presences\/([^/?]+)$/i.exec(r);
  if (m) return [m[1]!.replace(/^'|'$/g, '')];
  m = /^communications\/presences\?\$filter=id\s+in\s+\((.*)\)$/i.exec(r);
  if (m) return [...m[1]!.matchAll(/'([^']*)'/g)].map((x) => x[1]!);
  throw badRequest(
    `Invalid resource '${resource}'. The dev tenant supports presence subscriptions: communications/presences/{id} or /communications/presences?$filter=id in (...).`,
    'InvalidRequest',
  );
}

function subscriptionJson(s: Subscription, ctx: DevTenantContext) {
  return {
    '@odata.context': `${ctx.origin()}/${s.version}/$metadata#subscriptions/$entity`,
    id: s.id,
    resource: s.resource,
    applicationId: s.applicationId,
    changeType: s.changeType,
    clientState: s.clientState,
    notificationUrl: s.notificationUrl,
    notificationQueryOptions: null,
    lifecycleNotificationUrl: s.lifecycleNotificationUrl,
    expirationDateTime: s.expirationDateTime,
    creatorId: s.creatorId,
    includeResourceData: s.includeResourceData,
    latestSupportedTlsVersion: s.latestSupportedTlsVersion,
    encryptionCertificate: s.encryptionCertificate,
    encryptionCertificateId: s.encryptionCertificateId,
    notificationUrlAppId: null,
  };
}

/** Graph's validation handshake: the endpoint must echo the token as text/plain within 10 s. */
async function validateEndpoint(url: string): Promise<boolean> {
  const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
  const target = new URL(url);
  target.searchParams.set('validationToken', token);
  try {
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: '',
      signal: AbortSignal.timeout(10_000),
    });
    return res.status === 200 && /^text\/plain/i.test(res.headers.get('content-type') ?? '') && (await res.text()) === token;
  } catch {
    return false;
  }
}

/** Graph's form: seven fractional digits. */
const graphDateTime = (d: Date) => d.toISOString().replace('Z', '0000Z');

function parseExpiry(value: unknown): string {
  const d = typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw badRequest('expirationDateTime is required and must be a date and time.', 'InvalidRequest');
  const now = Date.now();
  if (d.getTime() <= now)
    throw badRequest(`Subscription expiration can only be in the future. Requested: ${d.toISOString()}.`, 'InvalidRequest');
  if (d.getTime() > now + MAX_PRESENCE_SUBSCRIPTION_MINUTES * 60_000) {
    throw badRequest(`Subscription expiration can only be ${MAX_PRESENCE_SUBSCRIPTION_MINUTES} minutes in the future.`, 'ExtensionError');
  }
  return graphDateTime(new Date(Math.max(d.getTime(), now + MIN_SUBSCRIPTION_MINUTES * 60_000)));
}

const validationFailed = () =>
  badRequest(
    'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.',
    'ValidationError',
  );

/** As issue reports show it (microsoftgraph/microsoft-graph-docs #16728, #10849); the docs name no error. */
const alreadySubscribed = () =>
  new GraphError(
    409,
    'ExtensionError',
    'Operation: Create; Exception: [Status Code: Conflict; Reason: A subscription already exists. It must be deleted before another can be made.]',
  );

/** Rich notification content, encrypted as Graph does (reference §2.5). */
export function encryptContent(certificatePem: string, certificateId: string, data: unknown) {
  const cert = new X509Certificate(certificatePem);
  const key = randomBytes(32);
  const iv = key.subarray(0, 16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const encrypted = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
  return {
    data: encrypted.toString('base64'),
    dataSignature: createHmac('sha256', key).update(encrypted).digest('base64'),
    dataKey: publicEncrypt({ key: cert.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, key).toString('base64'),
    encryptionCertificateId: certificateId,
    encryptionCertificateThumbprint: cert.fingerprint.replace(/:/g, '').toUpperCase(),
  };
}

function toPem(base64OrPem: string): string {
  if (base64OrPem.includes('BEGIN CERTIFICATE')) return base64OrPem;
  const body =
    base64OrPem
      .replace(/\s+/g, '')
      .match(/.{1,64}/g)
      ?.join('\n') ?? '';
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

export class SubscriptionService {
  readonly subscriptions = new Map<string, Subscription>();
  private timer: NodeJS.Timeout | undefined;
  private readonly queue = new OrderedDelivery();
  private readonly listener = (userId: string) => void this.notifyUsers([userId]);

  constructor(private readonly ctx: DevTenantContext) {}

  start(): void {
    this.ctx.tenant.on('presenceChanged', this.listener);
    // The schedule changes presence without events: compare sequence numbers every second.
    this.timer = setInterval(() => void this.sweep(), 1000);
    this.timer.unref();
  }

  stop(): void {
    this.ctx.tenant.off('presenceChanged', this.listener);
    clearInterval(this.timer);
    this.queue.stop();
  }

  private live(id: string): Subscription {
    const s = this.subscriptions.get(id.toLowerCase());
    if (!s || Date.parse(s.expirationDateTime) <= Date.now()) {
      if (s) this.subscriptions.delete(s.id);
      throw notFound(`The object was not found.`, 'ResourceNotFound');
    }
    return s;
  }

  private async sweep(): Promise<void> {
    const now = Date.now();
    const users = new Set<string>();
    for (const s of this.subscriptions.values()) {
      const left = Date.parse(s.expirationDateTime) - now;
      if (left <= 0) {
        this.subscriptions.delete(s.id);
        continue;
      }
      s.userIds.forEach((u) => users.add(u));
      // Ask the app to reauthorize (and renew) before the subscription lapses.
      if (left < REAUTHORIZE_BEFORE_MS && s.lifecycleNotificationUrl && !s.reauthorizationSent) {
        s.reauthorizationSent = true;
        void this.lifecycle(s.id, 'reauthorizationRequired');
      }
    }
    if (users.size) await this.notifyUsers([...users]);
  }

  /** Sends one notification collection per subscription for the users whose presence changed. */
  async notifyUsers(userIds: string[]): Promise<void> {
    const work: Promise<unknown>[] = [];
    for (const s of this.subscriptions.values()) {
      if (Date.parse(s.expirationDateTime) <= Date.now()) continue;
      const items: unknown[] = [];
      for (const userId of userIds) {
        if (!s.userIds.includes(userId)) continue;
        const p = this.ctx.tenant.effectivePresence(userId);
        if (s.lastSequence.get(userId) === p.sequenceNumber) continue;
        s.lastSequence.set(userId, p.sequenceNumber);
        const item: Record<string, unknown> = {
          subscriptionId: s.id,
          clientState: s.clientState,
          changeType: 'updated',
          tenantId: this.ctx.tenant.id,
          resource: `communications/presences/${userId}`,
          subscriptionExpirationDateTime: s.expirationDateTime,
          resourceData: { '@odata.id': `users/${userId}/presence`, '@odata.type': '#microsoft.graph.presence', id: userId },
          organizationId: this.ctx.tenant.id,
        };
        if (s.includeResourceData && s.encryptionCertificate) {
          item.encryptedContent = encryptContent(toPem(s.encryptionCertificate), s.encryptionCertificateId ?? '', {
            '@odata.id': `users/${userId}/presence`,
            '@odata.type': '#microsoft.graph.presence',
            ...presenceJson(p, false),
          });
        }
        items.push(item);
      }
      if (items.length === 0) continue;
      s.deliveries.queued += 1;
      work.push(this.queue.enqueue(s.id, this.ctx.notifications.nextDelayMs(), () => this.send(s, items)));
    }
    await Promise.all(work);
  }

  /** One notification collection, when its turn comes; dropped if the subscription paused, lapsed or went. */
  private async send(s: Subscription, items: unknown[]): Promise<void> {
    s.deliveries.queued -= 1;
    if (s.paused || this.subscriptions.get(s.id) !== s || Date.parse(s.expirationDateTime) <= Date.now()) {
      s.deliveries.dropped += 1;
      return;
    }
    const body: Record<string, unknown> = { value: items };
    if (s.includeResourceData) body.validationTokens = [await mintValidationToken(this.ctx.keys, this.ctx.tenant, s.applicationId)];
    const r = await deliver(s.notificationUrl, body, this.ctx.notifications.retry());
    s.deliveries.attempts += r.attempts;
    if (r.ok) s.deliveries.ok += 1;
    else s.deliveries.failed += 1;
  }

  async lifecycle(id: string, lifecycleEvent: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed'): Promise<boolean> {
    const s = this.subscriptions.get(id.toLowerCase());
    if (!s || !s.lifecycleNotificationUrl) return false;
    const body = {
      value: [
        {
          subscriptionId: s.id,
          subscriptionExpirationDateTime: s.expirationDateTime,
          tenantId: this.ctx.tenant.id,
          clientState: s.clientState,
          lifecycleEvent,
          organizationId: this.ctx.tenant.id,
        },
      ],
    };
    if (lifecycleEvent === 'subscriptionRemoved') this.subscriptions.delete(s.id);
    if (lifecycleEvent === 'reauthorizationRequired') s.paused = true;
    return (await deliver(s.lifecycleNotificationUrl, body, this.ctx.notifications.retry())).ok;
  }

  routes(): GraphRoute[] {
    const perms = { delegated: ['Presence.Read.All'] };
    const body = (req: GraphRequest) => (req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {});
    return [
      {
        method: 'POST',
        pattern: '/subscriptions',
        permissions: perms,
        handler: async (req) => {
          const b = body(req);
          if (b.changeType !== 'updated') throw badRequest("Presence subscriptions support changeType 'updated' only.", 'InvalidRequest');
          const resource = String(b.resource ?? '');
          const ids = parsePresenceResource(resource);
          if (ids.length === 0) throw badRequest('The resource names no user.', 'InvalidRequest');
          if (ids.length > MAX_PRESENCE_IDS)
            throw badRequest(`A presence subscription can include at most ${MAX_PRESENCE_IDS} users.`, 'InvalidRequest');
          for (const id of ids)
            if (!GUID.test(id) || !this.ctx.tenant.findUser(id))
              throw badRequest(`The user '${id}' in the resource was not found.`, 'InvalidRequest');
          const notificationUrl = acceptableCallbackUrl(b.notificationUrl);
          if (!notificationUrl) throw badRequest('notificationUrl must be an https URL.', 'InvalidRequest');
          const lifecycleUrl =
            b.lifecycleNotificationUrl === undefined || b.lifecycleNotificationUrl === null
              ? undefined
              : acceptableCallbackUrl(b.lifecycleNotificationUrl);
          if (b.lifecycleNotificationUrl && !lifecycleUrl)
            throw badRequest('lifecycleNotificationUrl must be an https URL.', 'InvalidRequest');
          const expiry = parseExpiry(b.expirationDateTime);
          const includeResourceData = b.includeResourceData === true;
          if (includeResourceData && (typeof b.encryptionCertificate !== 'string' || typeof b.encryptionCertificateId !== 'string')) {
            throw badRequest(
              'A subscription with includeResourceData must specify encryptionCertificate and encryptionCertificateId.',
              'InvalidRequest',
            );
          }
          if (includeResourceData) {
            let bits: number | undefined;
            try {
              const cert = new X509Certificate(toPem(String(b.encryptionCertificate)));
              bits = cert.publicKey.asymmetricKeyType === 'rsa' ? cert.publicKey.asymmetricKeyDetails?.modulusLength : undefined;
            } catch {
              throw badRequest('encryptionCertificate is not a valid base64 encoded X.509 certificate.', 'InvalidRequest');
            }
            if (!bits || bits < 2048 || bits > 4096)
              throw badRequest('encryptionCertificate must hold an RSA key of 2048 to 4096 bits.', 'InvalidRequest');
            if (String(b.encryptionCertificateId).length > 128)
              throw badRequest('encryptionCertificateId must be at most 128 characters.', 'InvalidRequest');
          }
          if (typeof b.clientState === 'string' && b.clientState.length > 128)
            throw badRequest('clientState must be at most 128 characters.', 'InvalidRequest');
          // One presence subscription per user per application (changenotifications-for-presence).
          const mine = (s: Subscription) =>
            s.creatorId === req.identity.userId && s.applicationId === req.identity.appId && Date.parse(s.expirationDateTime) > Date.now();
          if ([...this.subscriptions.values()].some(mine)) throw alreadySubscribed();
          if (!(await validateEndpoint(notificationUrl.toString())) || (lifecycleUrl && !(await validateEndpoint(lifecycleUrl.toString()))))
            throw validationFailed();
          // Checked again: another create may have won while this one was validating.
          if ([...this.subscriptions.values()].some(mine)) throw alreadySubscribed();
          const s: Subscription = {
            id: randomUUID(),
            resource,
            userIds: ids.map((i) => i.toLowerCase()),
            applicationId: req.identity.appId,
            creatorId: req.identity.userId!,
            changeType: 'updated',
            clientState: typeof b.clientState === 'string' ? b.clientState : null,
            notificationUrl: notificationUrl.toString(),
            lifecycleNotificationUrl: lifecycleUrl?.toString() ?? null,
            expirationDateTime: expiry,
            includeResourceData,
            encryptionCertificate: includeResourceData ? String(b.encryptionCertificate) : null,
            encryptionCertificateId: includeResourceData ? String(b.encryptionCertificateId) : null,
            latestSupportedTlsVersion: typeof b.latestSupportedTlsVersion === 'string' ? b.latestSupportedTlsVersion : 'v1_2',
            lastSequence: new Map(ids.map((i) => [i.toLowerCase(), this.ctx.tenant.effectivePresence(i).sequenceNumber])),
            deliveries: { ok: 0, failed: 0, attempts: 0, dropped: 0, queued: 0 },
            version: req.version,
            reauthorizationSent: false,
            paused: false,
          };
          this.subscriptions.set(s.id, s);
          return { status: 201, body: subscriptionJson(s, this.ctx) };
        },
      },
      {
        method: 'GET',
        pattern: '/subscriptions',
        permissions: { delegated: ['Presence.Read.All'], application: ['Presence.Read.All'] },
        handler: (req) => ({
          status: 200,
          body: {
            '@odata.context': `${this.ctx.origin()}/${req.version}/$metadata#subscriptions`,
            // Delegated: the app's subscriptions for the signed-in user only (subscription-list: "the
            // subscriptions the calling app created for the signed-in user"); app-only: all of the app's.
            value: [...this.subscriptions.values()]
              .filter((s) => s.applicationId === req.identity.appId && Date.parse(s.expirationDateTime) > Date.now())
              .filter((s) => req.identity.kind !== 'delegated' || s.creatorId === req.identity.userId)
              .map((s) => subscriptionJson(s, this.ctx)),
          },
        }),
      },
      {
        method: 'GET',
        pattern: '/subscriptions/{id}',
        permissions: perms,
        handler: (req) => ({ status: 200, body: subscriptionJson(this.live(req.params.id!), this.ctx) }),
      },
      {
        method: 'PATCH',
        pattern: '/subscriptions/{id}',
        permissions: perms,
        handler: async (req) => {
          const s = this.live(req.params.id!);
          const b = body(req);
          const other = Object.keys(b).filter((k) => k !== 'expirationDateTime' && k !== 'notificationUrl' && !k.startsWith('@odata.'));
          if (other.length)
            throw badRequest(`Only expirationDateTime and notificationUrl can be updated, not ${other.join(', ')}.`, 'InvalidRequest');
          if (b.expirationDateTime === undefined && b.notificationUrl === undefined)
            throw badRequest('Specify expirationDateTime or notificationUrl to update.', 'InvalidRequest');
          const expiry = b.expirationDateTime === undefined ? undefined : parseExpiry(b.expirationDateTime);
          let url: string | undefined;
          if (b.notificationUrl !== undefined) {
            url = acceptableCallbackUrl(b.notificationUrl)?.toString();
            if (!url) throw badRequest('notificationUrl must be an https URL.', 'InvalidRequest');
            // A new endpoint is validated as on create; the same one is not asked again.
            if (url !== s.notificationUrl && !(await validateEndpoint(url))) throw validationFailed();
          }
          if (url) s.notificationUrl = url;
          if (expiry) {
            // Renewing also reauthorizes (change-notifications-lifecycle-events).
            s.expirationDateTime = expiry;
            s.reauthorizationSent = false;
            s.paused = false;
          }
          return { status: 200, body: subscriptionJson(s, this.ctx) };
        },
      },
      {
        method: 'DELETE',
        pattern: '/subscriptions/{id}',
        permissions: perms,
        handler: (req) => {
          const s = this.live(req.params.id!);
          this.subscriptions.delete(s.id);
          return { status: 204 };
        },
      },
      {
        method: 'POST',
        pattern: '/subscriptions/{id}/reauthorize',
        permissions: perms,
        handler: (req) => {
          // Resumes change notifications paused by reauthorizationRequired; the expiry stays.
          this.live(req.params.id!).paused = false;
          return { status: 204 };
        },
      },
    ];
  }
}
