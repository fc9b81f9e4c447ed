/**
 * What the webhook needs to accept Graph presence change notifications safely, without any HTTP
 * framework: body parsing (zod, bounded), validation tokens (jose against the tenant's Entra keys),
 * decryption of rich notifications, the decrypted presence, and the rule that drops stale updates.
 *
 * Sources: microsoft-graph-docs-contrib concepts/change-notifications-with-resource-data.md,
 * change-notifications-delivery-webhooks.md, change-notifications-lifecycle-events.md,
 * changenotifications-for-presence.md.
 *
 * Every failure has a typed reason for logs. The docs advise answering 202 even when validation
 * fails, so a sender cannot learn which check it failed; the reasons are not meant for the reply.
 */
import { tenantKeySets, v1Issuer, v2Issuer } from '../auth/entraKeys';
import { createDecipheriv, createHmac, createPrivateKey, privateDecrypt, timingSafeEqual, constants } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod/v4';
import { AuthServiceError } from '../errors';
import { GUID } from '../domain/guid';
import type { GraphPresence } from '../graph/operations/presence';

/** The app id Microsoft Graph change notifications are published under (validation tokens' azp/appid). */
export const GRAPH_CHANGE_TRACKING_APP_ID = '0bf30f3b-4a52-48df-9a82-234910c4a086';
export const MAX_NOTIFICATIONS = 1000;
export const MAX_VALIDATION_TOKENS = 100;
/** Base64 characters of encryptedContent.data; a presence is a few hundred bytes, a long out-of-office message a few kB. */
export const MAX_ENCRYPTED_DATA_CHARS = 256 * 1024;
const MAX_TOKEN_CHARS = 16 * 1024;
const MAX_REASON_CHARS = 300;
const CLOCK_SKEW_SECONDS = 60;

// ---- bodies ----

export type ParseResult<T> = ({ ok: true } & T) | { ok: false; reason: string };

// Strict base64: Buffer.from(s, 'base64') skips junk silently, so what it decodes is checked first.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const text = (max: number) => z.string().min(1).max(max);
const base64 = (max: number) => z.string().min(1).max(max).regex(BASE64, 'Expected base64');
const tenantId = z
  .string()
  .regex(GUID, 'Expected a GUID')
  .transform((t) => t.toLowerCase());
const dateTime = z
  .string()
  .max(64)
  .pipe(z.iso.datetime({ offset: true }));
// Graph sends null when the subscription has none; callers compare with what they set.
const clientState = z
  .string()
  .max(128)
  .nullish()
  .transform((c) => c ?? undefined);

const encryptedContentSchema = z.object({
  data: base64(MAX_ENCRYPTED_DATA_CHARS),
  dataSignature: base64(128),
  // 4096-bit RSA: 512 bytes, 684 base64 characters.
  dataKey: base64(1024),
  encryptionCertificateId: text(128),
  encryptionCertificateThumbprint: text(128),
});
export type EncryptedContent = z.infer<typeof encryptedContentSchema>;

const changeNotificationSchema = z.object({
  subscriptionId: text(128),
  clientState,
  changeType: z.enum(['created', 'updated', 'deleted']),
  resource: text(2048),
  resourceData: z.object({ '@odata.type': text(256).optional(), '@odata.id': text(2048).optional(), id: text(256).optional() }).optional(),
  subscriptionExpirationDateTime: dateTime,
  tenantId,
  encryptedContent: encryptedContentSchema.optional(),
});
/**
 * One change notification. Only encryptedContent is authenticated (by its HMAC, under a key only we
 * can unwrap); resource, resourceData and clientState are the sender's word: take the user from the
 * decrypted presence, not from resource.
 */
export type ChangeNotification = z.infer<typeof changeNotificationSchema>;

const changeBodySchema = z
  .object({
    value: z.array(changeNotificationSchema).min(1).max(MAX_NOTIFICATIONS),
    validationTokens: z.array(text(MAX_TOKEN_CHARS)).max(MAX_VALIDATION_TOKENS).optional(),
  })
  .superRefine((b, ctx) => {
    // Rich notifications always come with validation tokens; encrypted content without them is not Graph's.
    if (b.value.some((n) => n.encryptedContent) && !b.validationTokens?.length) {
      ctx.addIssue({ code: 'custom', path: ['validationTokens'], message: 'Required when an item has encryptedContent' });
    }
  });

const lifecycleNotificationSchema = z.object({
  lifecycleEvent: z.enum(['reauthorizationRequired', 'subscriptionRemoved', 'missed']),
  subscriptionId: text(128),
  clientState,
  subscriptionExpirationDateTime: dateTime,
  tenantId,
});
export type LifecycleNotification = z.infer<typeof lifecycleNotificationSchema>;
export type LifecycleEvent = LifecycleNotification['lifecycleEvent'];

const lifecycleBodySchema = z.object({ value: z.array(lifecycleNotificationSchema).min(1).max(MAX_NOTIFICATIONS) });

function reasonOf(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The body is not valid.';
  const at = issue.path.map(String).join('.') || 'body';
  return `${at}: ${issue.message}`.slice(0, MAX_REASON_CHARS);
}

function safeParse<S extends z.ZodType, T>(schema: S, body: unknown, shape: (v: z.output<S>) => T): ParseResult<T> {
  try {
    // zod parses every element before checking the array's length: refuse huge arrays first.
    const value = (body as { value?: unknown } | null | undefined)?.value;
    if (Array.isArray(value) && value.length > MAX_NOTIFICATIONS)
      return { ok: false, reason: `value: Too big: expected at most ${MAX_NOTIFICATIONS} items` };
    const r = schema.safeParse(body);
    return r.success ? { ok: true, ...shape(r.data) } : { ok: false, reason: reasonOf(r.error) };
  } catch {
    // A getter or proxy that throws is a bad body too, not a 500.
    return { ok: false, reason: 'body: Could not be read' };
  }
}

/** Parses a change notification POST body: `{ value, validationTokens? }`. Never throws. */
export function parseChangeNotifications(body: unknown): ParseResult<{ value: ChangeNotification[]; validationTokens: string[] }> {
  return safeParse(changeBodySchema, body, (b) => ({ value: b.value, validationTokens: b.validationTokens ?? [] }));
}

/** Parses a lifecycle notification POST body: `{ value: [{ lifecycleEvent, ... }] }`. Never throws. */
export function parseLifecycleNotifications(body: unknown): ParseResult<{ value: LifecycleNotification[] }> {
  return safeParse(lifecycleBodySchema, body, (b) => ({ value: b.value }));
}

// ---- validation tokens ----

export type ValidationTokenProblem =
  | 'missing'
  | 'tooMany'
  | 'malformed'
  | 'unsupportedAlgorithm'
  | 'badSignature'
  | 'expired'
  | 'notYetValid'
  | 'wrongAudience'
  | 'wrongIssuer'
  | 'tenantNotAllowed'
  | 'wrongPublisher'
  | 'tenantNotCovered';

export class ValidationTokenError extends Error {
  constructor(
    readonly reason: ValidationTokenProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ValidationTokenError';
  }
}

export interface ValidationTokenValidatorConfig {
  /** e.g. https://login.microsoftonline.com (the dev tenant's origin locally). */
  authorityHost: string;
  /** Our app (client) id: the tokens' audience. */
  clientId: string;
  /** Tenants whose notifications we accept. */
  tenantIds: readonly string[];
}

/**
 * Checks a body's validationTokens; rejects with a ValidationTokenError, or with an AuthServiceError
 * when Entra's keys cannot be fetched (our outage: answering 5xx lets Graph retry later).
 * `tenantIds`: tenants that must each have a valid token (Graph sends one per app and tenant with
 * rich items): pass the tenantId of every item with encryptedContent.
 */
export type ValidationTokenValidator = (tokens: readonly string[], options?: { tenantIds?: Iterable<string> }) => Promise<void>;

export { v1Issuer, v2Issuer };

export function createValidationTokenValidator(config: ValidationTokenValidatorConfig): ValidationTokenValidator {
  const allowed = new Set(config.tenantIds.map((t) => t.toLowerCase()));
  const keysFor = tenantKeySets(config.authorityHost);

  const validateOne = async (token: string): Promise<string> => {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS)
      throw new ValidationTokenError('malformed', 'A validation token is not a well-formed JWT.');
    let header: ReturnType<typeof decodeProtectedHeader>;
    let unverified: JWTPayload;
    try {
      header = decodeProtectedHeader(token);
      unverified = decodeJwt(token);
    } catch (e) {
      throw new ValidationTokenError('malformed', 'A validation token is not a well-formed JWT.', { cause: e });
    }
    if (header.alg !== 'RS256')
      throw new ValidationTokenError(
        'unsupportedAlgorithm',
        `A validation token is signed with '${String(header.alg).slice(0, 20)}'; only RS256 is accepted.`,
      );
    const tid = typeof unverified.tid === 'string' ? unverified.tid.toLowerCase() : '';
    // Checked before any key fetch: a stranger's tenant id must not make us fetch (and cache) its keys.
    if (!GUID.test(tid) || !allowed.has(tid))
      throw new ValidationTokenError(
        'tenantNotAllowed',
        `A validation token names tenant '${tid.slice(0, 40) || 'unknown'}', which is not allowed.`,
      );

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keysFor(tid), {
        algorithms: ['RS256'],
        issuer: [v1Issuer(tid), v2Issuer(tid)],
        audience: config.clientId,
        clockTolerance: CLOCK_SKEW_SECONDS,
        requiredClaims: ['exp', 'tid'],
      }));
    } catch (e) {
      if (isKeyOutage(e)) throw new AuthServiceError('The signing keys of Entra ID could not be fetched.', { cause: e });
      throw classify(e);
    }
    // Critical (docs): the token must come from Graph's change notification publisher, not any app of the tenant.
    const publisher = payload.azp ?? payload.appid;
    if (typeof publisher !== 'string' || publisher.toLowerCase() !== GRAPH_CHANGE_TRACKING_APP_ID) {
      throw new ValidationTokenError('wrongPublisher', 'A validation token was not issued to Microsoft Graph change notifications.');
    }
    return tid;
  };

  return async (tokens, options = {}) => {
    if (!Array.isArray(tokens) || tokens.length === 0) throw new ValidationTokenError('missing', 'No validation token was sent.');
    if (tokens.length > MAX_VALIDATION_TOKENS)
      throw new ValidationTokenError('tooMany', `More than ${MAX_VALIDATION_TOKENS} validation tokens were sent.`);
    // Every token, one after the other: any bad one makes the whole body suspicious (docs), and the first failure is the one reported.
    const covered = new Set<string>();
    for (const token of tokens) covered.add(await validateOne(token));
    for (const t of options.tenantIds ?? []) {
      if (!covered.has(t.toLowerCase()))
        throw new ValidationTokenError('tenantNotCovered', `No validation token covers tenant '${t.slice(0, 40)}'.`);
    }
  };
}

/** Keys that cannot be fetched (network, non-200, not JSON, timeout) are not a bad token. */
function isKeyOutage(e: unknown): boolean {
  if (!(e instanceof joseErrors.JOSEError)) return true;
  return e instanceof joseErrors.JWKSTimeout || e instanceof joseErrors.JWKSInvalid || e.code === joseErrors.JOSEError.code;
}

function classify(e: unknown): ValidationTokenError {
  if (e instanceof joseErrors.JWTExpired) return new ValidationTokenError('expired', 'A validation token has expired.', { cause: e });
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    if (e.claim === 'nbf' || e.claim === 'iat')
      return new ValidationTokenError('notYetValid', 'A validation token is not valid yet.', { cause: e });
    if (e.claim === 'aud')
      return new ValidationTokenError('wrongAudience', 'A validation token was issued for another application.', { cause: e });
    if (e.claim === 'iss')
      return new ValidationTokenError('wrongIssuer', 'A validation token was issued by an unexpected issuer.', { cause: e });
    return new ValidationTokenError('malformed', `A validation token is missing the '${e.claim}' claim.`, { cause: e });
  }
  if (e instanceof joseErrors.JOSEAlgNotAllowed)
    return new ValidationTokenError('unsupportedAlgorithm', 'A validation token uses an algorithm that is not accepted.', { cause: e });
  if (e instanceof joseErrors.JWTInvalid || e instanceof joseErrors.JWSInvalid)
    return new ValidationTokenError('malformed', 'A validation token is not a well-formed JWT.', { cause: e });
  return new ValidationTokenError('badSignature', 'A validation token signature is not valid.', { cause: e });
}

// ---- decryption ----

export type DecryptionProblem = 'unknownCertificate' | 'badKey' | 'badSignature' | 'badCiphertext' | 'notJson';

/** No cause is kept: which crypto step failed, and how, is exactly what a sender must not learn. */
export class DecryptionError extends Error {
  constructor(
    readonly reason: DecryptionProblem,
    message: string,
  ) {
    super(message);
    this.name = 'DecryptionError';
  }
}

export interface DecryptionKey {
  privateKeyPem: string;
  /** The encryptionCertificateId the subscription was created with. */
  certificateId: string;
  /** SHA-1 thumbprint (hex, any case, colons allowed); checked when given. */
  thumbprint?: string;
}

const hex = (s: string) => s.replace(/:/g, '').toLowerCase();
const strictBase64 = (s: unknown): Buffer | undefined =>
  typeof s === 'string' && s.length > 0 && BASE64.test(s) ? Buffer.from(s, 'base64') : undefined;

/**
 * Decrypts encryptedContent: RSA-OAEP (SHA-1) unwraps the symmetric key, HMAC-SHA256 over the
 * ciphertext is checked before anything is decrypted, then AES-256-CBC (IV = first 16 bytes of the
 * key, PKCS#7) and JSON. Several keys may be given while a certificate is being rotated.
 */
export function decryptResourceData(encrypted: EncryptedContent, key: DecryptionKey | readonly DecryptionKey[]): unknown {
  const e = (encrypted ?? {}) as Partial<Record<keyof EncryptedContent, unknown>>;
  const keys: readonly DecryptionKey[] = Array.isArray(key) ? key : [key as DecryptionKey];
  const match = keys.find((k) => k.certificateId === e.encryptionCertificateId);
  if (!match) throw new DecryptionError('unknownCertificate', 'The notification names an encryption certificate we do not hold.');
  if (
    match.thumbprint !== undefined &&
    (typeof e.encryptionCertificateThumbprint !== 'string' || hex(e.encryptionCertificateThumbprint) !== hex(match.thumbprint))
  ) {
    throw new DecryptionError('unknownCertificate', 'The notification names another certificate thumbprint than ours.');
  }

  const wrapped = strictBase64(e.dataKey);
  let symmetric: Buffer;
  try {
    if (!wrapped) throw new Error('dataKey');
    symmetric = privateDecrypt(
      { key: createPrivateKey(match.privateKeyPem), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      wrapped,
    );
  } catch {
    throw new DecryptionError('badKey', 'The notification data key could not be decrypted with our certificate.');
  }
  if (symmetric.length !== 32) throw new DecryptionError('badKey', 'The notification data key is not an AES-256 key.');

  const data = strictBase64(e.data);
  const signature = strictBase64(e.dataSignature);
  const expected = data && createHmac('sha256', symmetric).update(data).digest();
  if (!data || !signature || !expected || signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
    throw new DecryptionError('badSignature', 'The notification data does not match its signature.');
  }

  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', symmetric, symmetric.subarray(0, 16));
    plain = Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw new DecryptionError('badCiphertext', 'The notification data could not be decrypted.');
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plain));
  } catch {
    throw new DecryptionError('notJson', 'The decrypted notification data is not JSON.');
  }
}

// ---- presence ----

const nullishText = (max: number) => z.string().max(max).nullish();
const presenceSchema = z.object({
  '@odata.type': z
    .string()
    .max(256)
    .regex(/^#?microsoft\.graph\.presence$/i, 'Expected a presence')
    .optional(),
  id: z
    .string()
    .regex(GUID, 'Expected a GUID')
    .transform((i) => i.toLowerCase()),
  // Graph adds values over time (focusing, inACall...): any short string, not an enum.
  availability: text(64),
  activity: text(64),
  statusMessage: z
    .object({
      message: z
        .object({
          content: nullishText(8192),
          // Rendered as plain text whatever it says; only 'text' is supported by Graph today.
          contentType: nullishText(32).transform((c) =>
            c == null ? undefined : c.toLowerCase() === 'html' ? ('html' as const) : ('text' as const),
          ),
        })
        .nullish(),
      expiryDateTime: z.object({ dateTime: z.string().max(64), timeZone: nullishText(128) }).nullish(),
      publishedDateTime: nullishText(64),
    })
    .nullish(),
  outOfOfficeSettings: z.object({ message: nullishText(65_536), isOutOfOffice: z.boolean().nullish() }).nullish(),
  sequenceNumber: text(256).optional(),
  workLocation: z.object({ workLocationType: text(64).optional(), source: text(64).optional() }).nullish(),
});

/** A presence from a rich notification: a GraphPresence with the fields a notification always has. */
export type NotifiedPresence = Omit<z.output<typeof presenceSchema>, '@odata.type'>;

/** Reads the decrypted presence resource. Never throws. */
export function presenceFromNotification(decrypted: unknown): ParseResult<{ presence: NotifiedPresence }> {
  try {
    const r = presenceSchema.safeParse(decrypted);
    if (!r.success) return { ok: false, reason: reasonOf(r.error) };
    const { '@odata.type': _type, ...presence } = r.data;
    // Compile-time: what we return is usable wherever the product takes a GraphPresence.
    return { ok: true, presence: presence satisfies GraphPresence };
  } catch {
    return { ok: false, reason: 'presence: Could not be read' };
  }
}

// ---- ordering ----

export interface PresenceVersion {
  sequenceNumber?: string;
  /** When we received it (ms since the epoch). */
  receivedAt: number;
}

/**
 * Whether `next` should replace `previous` (drops stale, reordered and replayed updates).
 * Ordering of sequenceNumber is inferred, not documented for notifications: Graph's metadata calls it
 * a "lexicographically sortable String stamp", and the stamps seen are increasing. Comparing length
 * first also orders unpadded numeric stamps ("9" < "10"); for stamps of one width it is plain
 * lexicographic order. An equal stamp is a replay. Without two stamps, the later (or same-moment) arrival wins.
 */
export function isNewer(previous: PresenceVersion | undefined, next: PresenceVersion): boolean {
  if (!previous) return true;
  const a = previous.sequenceNumber;
  const b = next.sequenceNumber;
  if (a && b) {
    if (a.length !== b.length) return b.length > a.length;
    return b > a;
  }
  return next.receivedAt >= previous.receivedAt;
}
