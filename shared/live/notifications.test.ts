/**
 * The webhook's building blocks against a real dev tenant: a rich presence subscription made through
 * Graph, a presence change, the delivery captured on loopback and taken through parse → validation
 * tokens → decrypt → presence. Then what an attacker or a broken sender can send.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { constants, createCipheriv, createHmac, publicEncrypt, randomBytes, X509Certificate } from 'node:crypto';
import { SignJWT, base64url, generateKeyPair } from 'jose';
import { generate } from 'selfsigned';
import { startTestTenant, type TestTenant } from '../../devtenant/testkit';
import { KeySet } from '../../devtenant/identity/keys';
import { mintValidationToken } from '../../devtenant/identity/tokens';
import { GRAPH_NOTIFICATION_PUBLISHER_APP_ID } from '../../devtenant/identity/constants';
import { AuthServiceError } from '../errors';
import { loadEncryptionCertificate, type EncryptionCertificate } from './encryptionCertificate';
import {
  DecryptionError,
  GRAPH_CHANGE_TRACKING_APP_ID,
  MAX_NOTIFICATIONS,
  ValidationTokenError,
  createValidationTokenValidator,
  decryptResourceData,
  isNewer,
  parseChangeNotifications,
  parseLifecycleNotifications,
  presenceFromNotification,
  type ChangeNotification,
  type EncryptedContent,
  type ValidationTokenValidator,
} from './notifications';

const BEN = '00000000-0000-4000-8000-000000000002';
const OTHER_TENANT = '99999999-0000-4000-8000-000000000000';

/** The product's webhook, reduced to what Graph needs: echo the validation handshake, record the rest. */
class Receiver {
  readonly received: Array<{ path: string; body: unknown }> = [];
  url = '';
  private readonly server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const token = url.searchParams.get('validationToken');
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      if (token !== null) return void res.writeHead(200, { 'content-type': 'text/plain' }).end(token);
      this.received.push({ path: url.pathname, body: JSON.parse(data || 'null') });
      res.writeHead(202).end();
    });
  });
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://localhost:${(this.server.address() as AddressInfo).port}`;
  }
  close() {
    this.server.closeAllConnections();
    this.server.close();
  }
  on(p: string) {
    return this.received.filter((r) => r.path === p);
  }
}

let dt: TestTenant;
let rx: Receiver;
let dir: string;
let cert: EncryptionCertificate;
let other: EncryptionCertificate;
let adaToken: string;
let subscriptionId: string;
let validate: ValidationTokenValidator;
/** The first rich notification delivered, as it arrived. */
let delivered: unknown;

const send = (method: string, p: string, token: string, body?: unknown) =>
  fetch(`${dt.origin}${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function certificate(name: string): Promise<EncryptionCertificate> {
  const pems = await generate([{ name: 'commonName', value: name }], { keySize: 2048, algorithm: 'sha256' });
  const certificatePath = path.join(dir, `${name}.pem`);
  const keyPath = path.join(dir, `${name}-key.pem`);
  await writeFile(certificatePath, pems.cert);
  await writeFile(keyPath, pems.private, { mode: 0o600 });
  return loadEncryptionCertificate({ certificatePath, keyPath });
}

/** Changes Ben's presence through the admin API and waits for the notification it causes. */
async function changeBen(presence: Record<string, unknown>): Promise<unknown> {
  const before = rx.on('/notify').length;
  expect((await dt.admin('PUT', `/users/${BEN}/presence`, presence)).status).toBe(200);
  // vi.waitFor, not expect.poll: this also runs in beforeAll.
  await vi.waitFor(
    () => {
      if (rx.on('/notify').length <= before) throw new Error('no notification yet');
    },
    { timeout: 10_000, interval: 20 },
  );
  return rx.on('/notify').at(-1)!.body;
}

const key = () => ({ privateKeyPem: cert.privateKeyPem, certificateId: cert.certificateId, thumbprint: cert.thumbprint });

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dd-live-'));
  [dt, cert, other] = await Promise.all([startTestTenant(), certificate('notifications'), certificate('someone-else')]);
  rx = new Receiver();
  await rx.start();
  adaToken = await dt.graphToken('ada');
  const res = await send('POST', '/v1.0/subscriptions', adaToken, {
    changeType: 'updated',
    notificationUrl: `${rx.url}/notify`,
    lifecycleNotificationUrl: `${rx.url}/lifecycle`,
    resource: `communications/presences/${BEN}`,
    expirationDateTime: new Date(Date.now() + 50 * 60_000).toISOString(),
    clientState: 'secret-state',
    includeResourceData: true,
    encryptionCertificate: cert.certificateBase64Der,
    encryptionCertificateId: cert.certificateId,
  });
  expect(res.status).toBe(201);
  subscriptionId = ((await res.json()) as { id: string }).id;
  validate = createValidationTokenValidator({ authorityHost: dt.origin, clientId: dt.clientId, tenantIds: [dt.tenantId.toUpperCase()] });
  delivered = await changeBen({
    availability: 'Busy',
    activity: 'InACall',
    statusMessage: 'On a customer call',
    outOfOfficeMessage: 'Back Monday',
  });
});
afterAll(async () => {
  rx?.close();
  await dt?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** parse → validate → decrypt → presence, as the webhook will run it. */
async function pipeline(body: unknown) {
  const parsed = parseChangeNotifications(body);
  if (!parsed.ok) throw new Error(parsed.reason);
  await validate(parsed.validationTokens, { tenantIds: parsed.value.filter((n) => n.encryptedContent).map((n) => n.tenantId) });
  return parsed.value.map((n) => {
    const p = presenceFromNotification(decryptResourceData(n.encryptedContent!, key()));
    if (!p.ok) throw new Error(p.reason);
    return { notification: n, presence: p.presence };
  });
}

const richItem = (body: unknown) => {
  const parsed = parseChangeNotifications(body);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value[0]!;
};

describe('a rich presence notification from the dev tenant', () => {
  it('parses, validates, decrypts and reads as a presence', async () => {
    const [only, ...rest] = await pipeline(delivered);
    expect(rest).toHaveLength(0);
    expect(only!.notification).toMatchObject({
      subscriptionId,
      changeType: 'updated',
      tenantId: dt.tenantId,
      resource: `communications/presences/${BEN}`,
      resourceData: { '@odata.type': '#microsoft.graph.presence', id: BEN },
    });
    expect(only!.notification.encryptedContent!.encryptionCertificateId).toBe(cert.certificateId);
    expect(only!.presence).toMatchObject({
      id: BEN,
      availability: 'Busy',
      activity: 'InACall',
      statusMessage: { message: { content: 'On a customer call', contentType: 'text' } },
      outOfOfficeSettings: { message: 'Back Monday' },
    });
    expect(only!.presence.sequenceNumber).toMatch(/^\d+$/);
    // Only known fields come through.
    expect(Object.keys(only!.presence)).not.toContain('@odata.id');
  });

  it("exposes clientState for the caller to compare (a wrong one is the caller's call)", () => {
    expect(richItem(delivered).clientState).toBe('secret-state');
    const forged = structuredClone(delivered) as { value: Array<Record<string, unknown>> };
    forged.value[0]!.clientState = 'guessed';
    expect(richItem(forged).clientState).toBe('guessed');
    forged.value[0]!.clientState = null;
    expect(richItem(forged).clientState).toBeUndefined();
  });

  it('drops out-of-order and replayed updates by sequenceNumber', async () => {
    const first = (await pipeline(delivered))[0]!.presence;
    const second = (await pipeline(await changeBen({ availability: 'Available', activity: 'Available' })))[0]!.presence;
    const third = (await pipeline(await changeBen({ availability: 'Away', activity: 'Away' })))[0]!.presence;
    expect([first.availability, second.availability, third.availability]).toEqual(['Busy', 'Available', 'Away']);

    // A store that keeps the newest: arrivals out of order and a replay of the first.
    const store = new Map<string, { presence: typeof first; sequenceNumber?: string; receivedAt: number }>();
    const accepted: string[] = [];
    let clock = 0;
    for (const p of [first, third, second, first, third]) {
      const next = { presence: p, sequenceNumber: p.sequenceNumber, receivedAt: ++clock };
      if (isNewer(store.get(p.id), next)) {
        store.set(p.id, next);
        accepted.push(p.availability);
      }
    }
    expect(accepted).toEqual(['Busy', 'Away']);
    expect(store.get(BEN)!.presence.availability).toBe('Away');
  });

  it("parses a real lifecycle notification, and neither parser takes the other's body", async () => {
    expect((await dt.admin('POST', `/subscriptions/${subscriptionId}/lifecycle`, { lifecycleEvent: 'missed' })).status).toBe(202);
    const body = rx.on('/lifecycle').at(-1)!.body;
    const parsed = parseLifecycleNotifications(body);
    expect(parsed).toMatchObject({
      ok: true,
      value: [{ lifecycleEvent: 'missed', subscriptionId, clientState: 'secret-state', tenantId: dt.tenantId }],
    });
    expect(parseChangeNotifications(body).ok).toBe(false);
    expect(parseLifecycleNotifications(delivered).ok).toBe(false);
  });
});

// ---- validation tokens ----

const now = () => Math.floor(Date.now() / 1000);
function claims(extra: Record<string, unknown> = {}) {
  return {
    aud: dt.clientId,
    iss: `https://sts.windows.net/${dt.tenantId}/`,
    iat: now(),
    nbf: now(),
    exp: now() + 3600,
    appid: GRAPH_NOTIFICATION_PUBLISHER_APP_ID,
    appidacr: '2',
    tid: dt.tenantId,
    ver: '1.0',
    ...extra,
  };
}
const signed = (extra: Record<string, unknown> = {}, keys?: KeySet) => (keys ?? dt.context.keys).sign(claims(extra));

async function tokenReason(tokens: string[], options?: { tenantIds?: string[] }, validator = validate) {
  const e = await validator(tokens, options).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ValidationTokenError);
  return (e as ValidationTokenError).reason;
}

describe('validation tokens', () => {
  it("accepts Graph's tokens in the v1 and v2 forms, and a token just past expiry within the clock skew", async () => {
    expect(GRAPH_CHANGE_TRACKING_APP_ID).toBe(GRAPH_NOTIFICATION_PUBLISHER_APP_ID);
    await validate([await mintValidationToken(dt.context.keys, dt.tenant, dt.clientId)]);
    const v2 = await signed({
      iss: `https://login.microsoftonline.com/${dt.tenantId}/v2.0`,
      ver: '2.0',
      appid: undefined,
      azp: GRAPH_NOTIFICATION_PUBLISHER_APP_ID,
    });
    await validate([v2]);
    await validate([await signed({ iat: now() - 3600, nbf: now() - 3600, exp: now() - 30 })]);
  });

  it("fetches the tenant's keys once for many validations", async () => {
    const fresh = createValidationTokenValidator({ authorityHost: `${dt.origin}/`, clientId: dt.clientId, tenantIds: [dt.tenantId] });
    const token = await signed();
    dt.context.counters.reset();
    for (let i = 0; i < 5; i++) await fresh([token, token]);
    expect(dt.context.counters.get('entra GET /{tenant}/discovery/v2.0/keys')).toBe(1);
  });

  it("refuses forged tokens: a key the tenant does not publish (same kid), the admin API's foreign key, a stranger's key", async () => {
    expect(await tokenReason([await signed({}, await KeySet.forged(dt.context.keys.active.kid))])).toBe('badSignature');
    const res = await dt.admin('POST', '/tokens', {
      user: 'ada',
      kind: 'graph',
      foreignKey: true,
      claims: { aud: dt.clientId, appid: GRAPH_NOTIFICATION_PUBLISHER_APP_ID },
    });
    expect(await tokenReason([((await res.json()) as { token: string }).token])).toBe('badSignature');
    const { privateKey } = await generateKeyPair('RS256');
    const stranger = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid: 'someone-elses-key' }).sign(privateKey);
    expect(await tokenReason([stranger])).toBe('badSignature');
    // A good header and payload with a signature cut from another token.
    const good = await signed();
    const otherSig = (await signed({ uti: 'x' })).split('.')[2];
    expect(await tokenReason([`${good.split('.').slice(0, 2).join('.')}.${otherSig}`])).toBe('badSignature');
  });

  it('refuses an expired token and one not valid yet', async () => {
    expect(await tokenReason([await signed({ iat: now() - 7200, nbf: now() - 7200, exp: now() - 600 })])).toBe('expired');
    expect(await tokenReason([await signed({ iat: now() + 600, nbf: now() + 600, exp: now() + 4000 })])).toBe('notYetValid');
    expect(await tokenReason([await signed({ exp: undefined })])).toBe('malformed');
  });

  it("refuses a token for another app (aud) and one not from Graph's change notification publisher (appid, azp)", async () => {
    expect(await tokenReason([await signed({ aud: 'some-other-app' })])).toBe('wrongAudience');
    expect(await tokenReason([await signed({ aud: 'https://graph.microsoft.com' })])).toBe('wrongAudience');
    expect(await tokenReason([await signed({ aud: undefined })])).toBe('wrongAudience');
    expect(await tokenReason([await signed({ appid: dt.clientId })])).toBe('wrongPublisher');
    expect(await tokenReason([await signed({ appid: undefined })])).toBe('wrongPublisher');
    expect(await tokenReason([await signed({ appid: 42 })])).toBe('wrongPublisher');
    // azp speaks first: a wrong azp is not rescued by a right appid.
    expect(await tokenReason([await signed({ azp: dt.clientId })])).toBe('wrongPublisher');
  });

  it('refuses another issuer, a tenant not allowed, and a tenant without a token', async () => {
    expect(await tokenReason([await signed({ iss: 'https://evil.example/' })])).toBe('wrongIssuer');
    expect(await tokenReason([await signed({ iss: `https://sts.windows.net/${OTHER_TENANT}/` })])).toBe('wrongIssuer');
    expect(await tokenReason([await signed({ tid: OTHER_TENANT, iss: `https://sts.windows.net/${OTHER_TENANT}/` })])).toBe(
      'tenantNotAllowed',
    );
    expect(await tokenReason([await signed({ tid: undefined })])).toBe('tenantNotAllowed');
    expect(await tokenReason([await signed({ tid: '../../evil' })])).toBe('tenantNotAllowed');
    expect(await tokenReason([await signed()], { tenantIds: [dt.tenantId, OTHER_TENANT] })).toBe('tenantNotCovered');
    await validate([await signed()], { tenantIds: [dt.tenantId.toUpperCase()] });
  });

  it('refuses other algorithms, junk, none, too many, and a body where one token of several is bad', async () => {
    const hs = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('a shared secret of 32 characters'));
    expect(await tokenReason([hs])).toBe('unsupportedAlgorithm');
    const none = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url.encode(JSON.stringify(claims()))}.`;
    expect(await tokenReason([none])).toBe('unsupportedAlgorithm');
    for (const junk of ['nonsense', '', 'a.b.c', 'x'.repeat(20_000)])
      expect(await tokenReason([junk]), junk.slice(0, 20)).toBe('malformed');
    expect(await tokenReason([42 as unknown as string])).toBe('malformed');
    expect(await tokenReason([])).toBe('missing');
    expect(await tokenReason(undefined as unknown as string[])).toBe('missing');
    const good = await signed();
    expect(await tokenReason(Array.from({ length: 101 }, () => good))).toBe('tooMany');
    expect(await tokenReason([good, await signed({ aud: 'some-other-app' }), good])).toBe('wrongAudience');
  });

  it('reports unreachable or broken key endpoints as our outage (AuthServiceError), not a bad token', async () => {
    const token = await signed();
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    let answer: { status: number; body: string } = { status: 500, body: 'oops' };
    const broken = http.createServer(
      (_req, res) => void res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body),
    );
    await new Promise<void>((r) => broken.listen(0, '127.0.0.1', () => r()));
    try {
      const at = (host: string) => createValidationTokenValidator({ authorityHost: host, clientId: dt.clientId, tenantIds: [dt.tenantId] });
      const outage = async (host: string) =>
        expect(
          await at(host)([token]).then(
            () => undefined,
            (e: unknown) => e,
          ),
        ).toBeInstanceOf(AuthServiceError);
      await outage(`http://127.0.0.1:${closedPort}`);
      const brokenHost = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`;
      await outage(brokenHost);
      answer = { status: 200, body: 'not json' };
      await outage(brokenHost);
      answer = { status: 200, body: '{"keys":"none"}' };
      await outage(brokenHost);
    } finally {
      broken.closeAllConnections();
      broken.close();
    }
  });
});

// ---- decryption ----

type Enc = EncryptedContent;
const realEnc = (): Enc => ({ ...richItem(delivered).encryptedContent! });
const hmac = (k: Buffer, data: Buffer) => createHmac('sha256', k).update(data).digest('base64');
const flipByte = (b64: string, at = 0) => {
  const b = Buffer.from(b64, 'base64');
  b[at] = b[at]! ^ 0x01;
  return b.toString('base64');
};

/** Encrypts as Graph does, with knobs for what an attacker or a broken sender can vary. */
function seal(
  plain: Buffer | string,
  o: { to?: EncryptionCertificate; id?: string; symmetric?: Buffer; ciphertext?: Buffer; padding?: number } = {},
): Enc {
  const to = o.to ?? cert;
  const k = o.symmetric ?? randomBytes(32);
  let ciphertext = o.ciphertext;
  if (!ciphertext) {
    const c = createCipheriv('aes-256-cbc', k.subarray(0, 32), k.subarray(0, 16));
    ciphertext = Buffer.concat([c.update(typeof plain === 'string' ? Buffer.from(plain, 'utf8') : plain), c.final()]);
  }
  const publicKey = new X509Certificate(Buffer.from(to.certificateBase64Der, 'base64')).publicKey;
  return {
    data: ciphertext.toString('base64'),
    dataSignature: hmac(k, ciphertext),
    dataKey: publicEncrypt({ key: publicKey, padding: o.padding ?? constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, k).toString(
      'base64',
    ),
    encryptionCertificateId: o.id ?? cert.certificateId,
    encryptionCertificateThumbprint: to.thumbprint,
  };
}

function decryptReason(enc: unknown, k: Parameters<typeof decryptResourceData>[1] = key()) {
  let e: unknown;
  try {
    decryptResourceData(enc as Enc, k);
  } catch (err) {
    e = err;
  }
  expect(e).toBeInstanceOf(DecryptionError);
  // Ours, never OpenSSL's words (they tell a sender which step it got past).
  expect((e as Error).message).not.toMatch(/error:|routines|bad decrypt|oaep|padding|openssl/i);
  expect((e as Error).cause).toBeUndefined();
  return (e as DecryptionError).reason;
}

describe('decryptResourceData', () => {
  it('decrypts what we sealed, checks the thumbprint in any case and with colons, and picks the key by id while rotating', () => {
    expect(decryptResourceData(seal('{"id":"x","n":1}'), key())).toEqual({ id: 'x', n: 1 });
    const colons = cert.thumbprint.toLowerCase().match(/../g)!.join(':');
    expect(decryptResourceData(realEnc(), { ...key(), thumbprint: colons })).toMatchObject({ id: BEN });
    expect(decryptResourceData(realEnc(), { privateKeyPem: cert.privateKeyPem, certificateId: cert.certificateId })).toMatchObject({
      id: BEN,
    });
    const rotating = [{ privateKeyPem: other.privateKeyPem, certificateId: other.certificateId }, key()];
    expect(decryptResourceData(realEnc(), rotating)).toMatchObject({ id: BEN });
    expect(decryptResourceData(seal('[1]', { to: other, id: other.certificateId }), rotating)).toEqual([1]);
  });

  it('refuses tampered ciphertext and a tampered or cut signature, before decrypting', () => {
    expect(decryptReason({ ...realEnc(), data: flipByte(realEnc().data) })).toBe('badSignature');
    expect(decryptReason({ ...realEnc(), data: flipByte(realEnc().data, Buffer.from(realEnc().data, 'base64').length - 1) })).toBe(
      'badSignature',
    );
    expect(decryptReason({ ...realEnc(), dataSignature: flipByte(realEnc().dataSignature) })).toBe('badSignature');
    expect(
      decryptReason({ ...realEnc(), dataSignature: Buffer.from(realEnc().dataSignature, 'base64').subarray(0, 16).toString('base64') }),
    ).toBe('badSignature');
    expect(decryptReason({ ...realEnc(), dataSignature: '' })).toBe('badSignature');
    expect(decryptReason({ ...realEnc(), dataSignature: 'not base64!' })).toBe('badSignature');
    expect(decryptReason({ ...realEnc(), data: `${realEnc().data}AAAA` })).toBe('badSignature');
    // Another notification's data under this one's key and signature.
    expect(decryptReason({ ...realEnc(), data: seal('{"id":"evil"}').data })).toBe('badSignature');
  });

  it('refuses a data key for another certificate, a key wrapped without OAEP, and a key of the wrong size', () => {
    // Sealed for someone else's certificate but labelled with our id.
    expect(
      decryptReason(seal('{"a":1}', { to: other, id: cert.certificateId }), {
        privateKeyPem: cert.privateKeyPem,
        certificateId: cert.certificateId,
      }),
    ).toBe('badKey');
    expect(
      decryptReason(
        { ...realEnc(), dataKey: seal('{}', { to: other }).dataKey },
        { privateKeyPem: cert.privateKeyPem, certificateId: cert.certificateId },
      ),
    ).toBe('badKey');
    expect(decryptReason(seal('{"a":1}', { padding: constants.RSA_PKCS1_PADDING }))).toBe('badKey');
    expect(decryptReason(seal('{"a":1}', { symmetric: randomBytes(16), ciphertext: randomBytes(32) }))).toBe('badKey');
    expect(decryptReason({ ...realEnc(), dataKey: flipByte(realEnc().dataKey, 7) })).toBe('badKey');
    expect(decryptReason({ ...realEnc(), dataKey: 'AAAA' })).toBe('badKey');
    expect(decryptReason({ ...realEnc(), dataKey: '' })).toBe('badKey');
    expect(decryptReason(realEnc(), { privateKeyPem: 'not a key', certificateId: cert.certificateId })).toBe('badKey');
  });

  it('refuses a certificate id or thumbprint we do not hold', () => {
    expect(decryptReason({ ...realEnc(), encryptionCertificateId: 'someone-elses-id' })).toBe('unknownCertificate');
    expect(decryptReason({ ...realEnc(), encryptionCertificateId: cert.certificateId.toUpperCase() })).toBe('unknownCertificate');
    expect(decryptReason({ ...realEnc(), encryptionCertificateThumbprint: other.thumbprint })).toBe('unknownCertificate');
    expect(decryptReason(realEnc(), [])).toBe('unknownCertificate');
  });

  it('refuses a well-signed ciphertext that does not decrypt, and content that is not JSON', () => {
    const symmetric = randomBytes(32);
    // One block ending in 0x00: never valid PKCS#7 padding.
    const block = Buffer.alloc(16, 0x41);
    block[15] = 0;
    const c = createCipheriv('aes-256-cbc', symmetric, symmetric.subarray(0, 16)).setAutoPadding(false);
    const badPadding = Buffer.concat([c.update(block), c.final()]);
    expect(decryptReason(seal('', { symmetric, ciphertext: badPadding }))).toBe('badCiphertext');
    expect(decryptReason(seal('', { symmetric, ciphertext: randomBytes(15) }))).toBe('badCiphertext');
    expect(decryptReason(seal('this is not JSON'))).toBe('notJson');
    expect(decryptReason(seal(''))).toBe('notJson');
    expect(decryptReason(seal(Buffer.from([0x22, 0xff, 0xfe, 0x22])))).toBe('notJson');
  });

  it('turns 300 random corruptions of a real encryptedContent into a DecryptionError each, never another error', () => {
    let seed = 42;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const junk = [
      null,
      undefined,
      0,
      42,
      true,
      {},
      [],
      '',
      '=',
      '====',
      'AAAA',
      'not base64!',
      '😀',
      'A'.repeat(5),
      randomBytes(48).toString('base64'),
    ];
    const fields: Array<keyof Enc> = ['data', 'dataSignature', 'dataKey', 'encryptionCertificateId', 'encryptionCertificateThumbprint'];
    const reasons = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const enc: Record<string, unknown> = realEnc();
      const field = fields[rand(fields.length)]!;
      if (rand(2) === 0) enc[field] = junk[rand(junk.length)];
      else if (typeof enc[field] === 'string' && field !== 'encryptionCertificateId' && field !== 'encryptionCertificateThumbprint')
        enc[field] = flipByte(enc[field] as string, rand(16));
      else delete enc[field];
      reasons.add(decryptReason(enc));
    }
    expect([...reasons].sort()).toEqual(['badKey', 'badSignature', 'unknownCertificate']);
    expect(decryptReason(null)).toBe('unknownCertificate');
  });
});

// ---- malformed bodies ----

function validItem(): Record<string, unknown> {
  return {
    subscriptionId: '7f105c7d-2dc5-4530-97cd-4e7ae6534c07',
    clientState: 'secret-state',
    changeType: 'updated',
    resource: `communications/presences/${BEN}`,
    resourceData: { '@odata.id': `users/${BEN}/presence`, '@odata.type': '#microsoft.graph.presence', id: BEN },
    subscriptionExpirationDateTime: '2026-03-02T10:45:00.0000000Z',
    tenantId: '11111111-2222-4333-8444-555555555555',
    organizationId: '11111111-2222-4333-8444-555555555555',
    encryptedContent: {
      data: 'AAAAAAAAAAAAAAAAAAAAAA==',
      dataSignature: 'AAAA',
      dataKey: 'AAAA',
      encryptionCertificateId: 'cert-1',
      encryptionCertificateThumbprint: 'ABCDEF',
    },
  };
}
const validBody = () => ({ value: [validItem()], validationTokens: ['eyJ.eyJ.sig'] });

const wrongTypes: unknown[] = [null, 0, -1, 1.5, true, {}, [], '', 'x'.repeat(5000)];

function* changeBodyVariants(): Generator<[string, unknown]> {
  for (const v of [undefined, null, 0, 'x', true, [], [validBody()], new Date()]) yield [`body ${String(v)}`, v];
  for (const v of [undefined, null, 'x', 0, {}, [], [null], [1], ['x'], [[]]]) yield [`value ${JSON.stringify(v)}`, { value: v }];
  yield ['too many items', { value: Array.from({ length: MAX_NOTIFICATIONS + 1 }, validItem), validationTokens: ['t'] }];
  yield ['a million items', { value: new Array(1_000_000).fill(validItem()), validationTokens: ['t'] }];
  for (const field of ['subscriptionId', 'changeType', 'resource', 'subscriptionExpirationDateTime', 'tenantId']) {
    yield [
      `${field} missing`,
      (() => {
        const b = validBody();
        delete b.value[0]![field];
        return b;
      })(),
    ];
    for (const v of wrongTypes)
      yield [
        `${field} = ${JSON.stringify(v)?.slice(0, 20)}`,
        (() => {
          const b = validBody();
          b.value[0]![field] = v;
          return b;
        })(),
      ];
  }
  for (const [field, v] of [
    ['changeType', 'UPDATED'],
    ['changeType', 'removed'],
    ['tenantId', 'not-a-guid'],
    ['tenantId', `${BEN}x`],
    ['subscriptionExpirationDateTime', 'yesterday'],
    ['subscriptionExpirationDateTime', '2026-13-45T99:00:00Z'],
    ['subscriptionExpirationDateTime', 1767225600000],
    ['clientState', 42],
    ['clientState', true],
    ['clientState', {}],
    ['clientState', []],
    ['clientState', 'x'.repeat(129)],
    ['resourceData', 'x'],
    ['resourceData', 42],
    ['resourceData', { id: 42 }],
    ['resourceData', { '@odata.id': 'x'.repeat(3000) }],
    ['encryptedContent', null],
    ['encryptedContent', 'x'],
    ['encryptedContent', []],
  ] as Array<[string, unknown]>) {
    yield [
      `${field} = ${JSON.stringify(v).slice(0, 20)}`,
      (() => {
        const b = validBody();
        b.value[0]![field] = v;
        return b;
      })(),
    ];
  }
  for (const field of ['data', 'dataSignature', 'dataKey', 'encryptionCertificateId', 'encryptionCertificateThumbprint']) {
    const base64ish = !field.startsWith('encryption');
    for (const v of [undefined, null, 42, '', ...(base64ish ? ['not base64!', 'AAA', 'A'.repeat(300_000)] : ['x'.repeat(129)])]) {
      yield [
        `encryptedContent.${field} = ${String(v).slice(0, 20)}`,
        (() => {
          const b = validBody();
          const e = b.value[0]!.encryptedContent as Record<string, unknown>;
          if (v === undefined) delete e[field];
          else e[field] = v;
          return b;
        })(),
      ];
    }
  }
  for (const v of ['x', [42], [''], ['x'.repeat(20_000)], Array.from({ length: 101 }, () => 't'), [], undefined, null]) {
    yield [`validationTokens = ${JSON.stringify(v)?.slice(0, 20)}`, { ...validBody(), validationTokens: v }];
  }
  yield ['one bad item among good ones', { value: [validItem(), validItem(), { ...validItem(), tenantId: 7 }], validationTokens: ['t'] }];
  yield ['a bigint', { value: [{ ...validItem(), subscriptionId: 10n }], validationTokens: ['t'] }];
  yield ['a symbol', { value: [{ ...validItem(), resource: Symbol('r') }], validationTokens: ['t'] }];
  yield ['a function', { value: [{ ...validItem(), changeType: () => 'updated' }], validationTokens: ['t'] }];
  yield [
    'a getter that throws',
    Object.defineProperty({}, 'value', {
      get() {
        throw new Error('boom');
      },
      enumerable: true,
    }),
  ];
  yield [
    'a proxy that throws',
    new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
        has() {
          throw new Error('boom');
        },
        ownKeys() {
          throw new Error('boom');
        },
      },
    ),
  ];
}

function* lifecycleBodyVariants(): Generator<[string, unknown]> {
  const item = () => ({
    subscriptionId: 'f1f1f1f1-0000-4000-8000-000000000000',
    subscriptionExpirationDateTime: '2026-03-02T10:45:00.0000000Z',
    tenantId: '11111111-2222-4333-8444-555555555555',
    clientState: 's',
    lifecycleEvent: 'missed',
  });
  for (const v of [undefined, null, 'x', {}, { value: [] }, { value: {} }, { value: Array.from({ length: MAX_NOTIFICATIONS + 1 }, item) }])
    yield [`body ${JSON.stringify(v)?.slice(0, 20)}`, v];
  for (const field of ['subscriptionId', 'subscriptionExpirationDateTime', 'tenantId', 'lifecycleEvent']) {
    yield [
      `${field} missing`,
      (() => {
        const i: Record<string, unknown> = item();
        delete i[field];
        return { value: [i] };
      })(),
    ];
    for (const v of wrongTypes) yield [`${field} = ${JSON.stringify(v)?.slice(0, 20)}`, { value: [{ ...item(), [field]: v }] }];
  }
  for (const v of ['subscriptionDeleted', 'Missed', 'reauthorize'])
    yield [`lifecycleEvent ${v}`, { value: [{ ...item(), lifecycleEvent: v }] }];
  for (const v of [42, {}, 'x'.repeat(129)]) yield [`clientState ${String(v).slice(0, 10)}`, { value: [{ ...item(), clientState: v }] }];
}

describe('malformed bodies', () => {
  it("the valid bodies the variants start from parse (so each refusal is the variant's doing)", () => {
    const parsed = parseChangeNotifications(validBody());
    expect(parsed).toMatchObject({
      ok: true,
      validationTokens: ['eyJ.eyJ.sig'],
      value: [{ changeType: 'updated', tenantId: '11111111-2222-4333-8444-555555555555' }],
    });
    expect(Object.keys((parsed as { value: ChangeNotification[] }).value[0]!)).not.toContain('organizationId');
    expect(parseChangeNotifications({ value: Array.from({ length: MAX_NOTIFICATIONS }, validItem), validationTokens: ['t'] }).ok).toBe(
      true,
    );
    const basic = validItem();
    delete basic.encryptedContent;
    delete basic.clientState;
    expect(parseChangeNotifications({ value: [basic] })).toMatchObject({
      ok: true,
      validationTokens: [],
      value: [{ clientState: undefined }],
    });
    expect(
      parseChangeNotifications({ value: [{ ...validItem(), tenantId: '11111111-2222-4333-8444-55555555555A' }], validationTokens: ['t'] }),
    ).toMatchObject({ ok: true, value: [{ tenantId: '11111111-2222-4333-8444-55555555555a' }] });
    const lifecycle = {
      value: [
        {
          subscriptionId: 'f1',
          subscriptionExpirationDateTime: '2026-03-02T10:45:00Z',
          tenantId: '11111111-2222-4333-8444-555555555555',
          clientState: null,
          lifecycleEvent: 'reauthorizationRequired',
        },
      ],
    };
    expect(parseLifecycleNotifications(lifecycle)).toMatchObject({
      ok: true,
      value: [{ lifecycleEvent: 'reauthorizationRequired', clientState: undefined }],
    });
  });

  it('refuses 130+ malformed change notification bodies with a short reason, never throwing', () => {
    const variants = [...changeBodyVariants()];
    expect(variants.length).toBeGreaterThanOrEqual(130);
    for (const [name, body] of variants) {
      let r: ReturnType<typeof parseChangeNotifications> | undefined;
      expect(() => (r = parseChangeNotifications(body)), name).not.toThrow();
      expect(r!.ok, name).toBe(false);
      const reason = (r as { reason: string }).reason;
      expect(reason, name).toMatch(/^\S+: .+/);
      expect(reason.length, name).toBeLessThanOrEqual(300);
    }
  });

  it('names where the problem is', () => {
    const b = validBody();
    delete b.value[0]!.tenantId;
    expect(parseChangeNotifications(b)).toMatchObject({ ok: false, reason: expect.stringMatching(/^value\.0\.tenantId: /) });
    expect(parseChangeNotifications({ value: [validItem()] })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^validationTokens: Required when an item has encryptedContent/),
    });
    expect(parseChangeNotifications(null)).toMatchObject({ ok: false, reason: expect.stringMatching(/^body: /) });
  });

  it('refuses 50+ malformed lifecycle bodies the same way', () => {
    const variants = [...lifecycleBodyVariants()];
    expect(variants.length).toBeGreaterThanOrEqual(50);
    for (const [name, body] of variants) {
      let r: ReturnType<typeof parseLifecycleNotifications> | undefined;
      expect(() => (r = parseLifecycleNotifications(body)), name).not.toThrow();
      expect(r!.ok, name).toBe(false);
      expect((r as { reason: string }).reason.length, name).toBeLessThanOrEqual(300);
    }
  });
});

// ---- presence ----

describe('presenceFromNotification', () => {
  const presence = () => ({
    '@odata.type': '#microsoft.graph.presence',
    '@odata.id': `users/${BEN}/presence`,
    id: BEN.toUpperCase(),
    availability: 'Available',
    activity: 'Available',
    statusMessage: {
      message: { content: '<b>hi</b>', contentType: 'HTML' },
      expiryDateTime: { dateTime: '2026-03-02T18:00:00.0000000', timeZone: 'UTC' },
    },
    outOfOfficeSettings: { message: null, isOutOfOffice: false },
    sequenceNumber: '000001772445600000000042',
    workLocation: { workLocationType: 'office', source: 'scheduled', placeId: null },
  });

  it('reads the fields the product uses and drops the rest', () => {
    const r = presenceFromNotification(presence());
    expect(r).toEqual({
      ok: true,
      presence: {
        id: BEN,
        availability: 'Available',
        activity: 'Available',
        statusMessage: {
          message: { content: '<b>hi</b>', contentType: 'html' },
          expiryDateTime: { dateTime: '2026-03-02T18:00:00.0000000', timeZone: 'UTC' },
        },
        outOfOfficeSettings: { message: null, isOutOfOffice: false },
        sequenceNumber: '000001772445600000000042',
        workLocation: { workLocationType: 'office', source: 'scheduled' },
      },
    });
    expect(presenceFromNotification({ id: BEN, availability: 'Away', activity: 'Away', statusMessage: null })).toMatchObject({
      ok: true,
      presence: { statusMessage: null },
    });
  });

  it('refuses what is not a presence, never throwing', () => {
    const variants: unknown[] = [
      undefined,
      null,
      'x',
      42,
      [],
      {},
      { ...presence(), '@odata.type': '#microsoft.graph.user' },
      { ...presence(), id: undefined },
      { ...presence(), id: 'ben' },
      { ...presence(), id: 42 },
      { ...presence(), availability: undefined },
      { ...presence(), availability: '' },
      { ...presence(), availability: 'x'.repeat(65) },
      { ...presence(), availability: 1 },
      { ...presence(), activity: null },
      { ...presence(), sequenceNumber: 42 },
      { ...presence(), sequenceNumber: '' },
      { ...presence(), statusMessage: 'hi' },
      { ...presence(), statusMessage: { message: { content: 42 } } },
      { ...presence(), statusMessage: { message: { content: 'x'.repeat(9000) } } },
      { ...presence(), outOfOfficeSettings: { isOutOfOffice: 'yes' } },
      { ...presence(), workLocation: 'office' },
      new Proxy(
        {},
        {
          get() {
            throw new Error('boom');
          },
        },
      ),
    ];
    variants.forEach((v, i) => {
      let r: ReturnType<typeof presenceFromNotification> | undefined;
      expect(() => (r = presenceFromNotification(v)), `variant ${i}`).not.toThrow();
      expect(r!.ok, `variant ${i}`).toBe(false);
    });
  });
});

describe('isNewer', () => {
  it('orders sequence numbers by length, then lexicographically; an equal one is a replay', () => {
    const at = (sequenceNumber?: string, receivedAt = 0) => ({ sequenceNumber, receivedAt });
    expect(isNewer(undefined, at('1'))).toBe(true);
    expect(isNewer(at('9'), at('10'))).toBe(true);
    expect(isNewer(at('10'), at('9'))).toBe(false);
    expect(isNewer(at('000123'), at('000124'))).toBe(true);
    expect(isNewer(at('000124'), at('000123'))).toBe(false);
    expect(isNewer(at('C3fmBFHs75fy3Wtm'), at('C3fmBFHs75fy3Wtn'))).toBe(true);
    expect(isNewer(at('5', 100), at('5', 200))).toBe(false);
    // The stamp wins over arrival time: a late arrival of an older stamp is stale.
    expect(isNewer(at('6', 100), at('5', 200))).toBe(false);
  });

  it('without a stamp on both sides, keeps the later arrival', () => {
    const at = (receivedAt: number, sequenceNumber?: string) => ({ sequenceNumber, receivedAt });
    expect(isNewer(at(100), at(200))).toBe(true);
    expect(isNewer(at(200), at(100))).toBe(false);
    expect(isNewer(at(100, '7'), at(200))).toBe(true);
    expect(isNewer(at(200), at(100, '7'))).toBe(false);
  });
});
