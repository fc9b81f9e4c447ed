/** Users and photos: /users/{id|upn}, /users?$filter=..., /users/{id}/photo[/$value], /photos/{size}/$value. */
import type { DevTenantContext } from '../../context';
import type { GraphRoute, GraphRequest, PermissionRule } from '../core';
import { GraphError, notFound, badRequest } from '../errors';
import { queryOption, applySelect, pageOf, nextLink } from '../odata';
import type { TenantUser } from '../../tenant/tenant';
import { generatePhotoJpeg } from '../../tenant/photos';

const DEFAULT_PROPS = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;
const ALL_PROPS = [...DEFAULT_PROPS, 'department', 'accountEnabled', 'usageLocation'] as const;
/** Graph's limit on values in an `in` clause. */
export const MAX_IN_VALUES = 15;
export const PHOTO_SIZES = ['48x48', '64x64', '96x96', '120x120', '240x240', '360x360', '432x432', '504x504', '648x648'];

function userJson(u: TenantUser): Record<string, unknown> {
  return {
    businessPhones: u.businessPhones,
    displayName: u.displayName,
    givenName: u.givenName,
    jobTitle: u.jobTitle ?? null,
    mail: u.mail,
    mobilePhone: u.mobilePhone ?? null,
    officeLocation: u.officeLocation ?? null,
    preferredLanguage: u.preferredLanguage ?? null,
    surname: u.surname,
    userPrincipalName: u.userPrincipalName,
    id: u.id,
    department: u.department ?? null,
    accountEnabled: true,
    usageLocation: 'US',
  };
}

/**
 * The basic profile: what User.ReadBasic.All reads of other people (learn.microsoft.com graph/api/resources/users,
 * "User basic profile properties"; photo is a relationship). Anything else needs User.Read.All or
 * Directory.Read.All (or User.Read for oneself).
 */
export const BASIC_PROFILE = ['displayName', 'givenName', 'id', 'mail', 'securityIdentifier', 'surname', 'userPrincipalName'];
const FULL_PROFILE_SCOPES = ['user.read.all', 'user.readwrite.all', 'directory.read.all', 'directory.readwrite.all'];

/** Whether the caller may read this user's full profile rather than the basic one. */
function readsFullProfile(req: GraphRequest, u: TenantUser): boolean {
  const granted = req.identity.kind === 'application' ? req.identity.roles : req.identity.scopes;
  if (FULL_PROFILE_SCOPES.some((s) => granted.has(s))) return true;
  return req.identity.kind === 'delegated' && req.identity.userId === u.id;
}

/**
 * With the basic profile only, the other properties asked for (or returned by default) come back empty:
 * null, or [] for collections. The docs say the permission "constrains" reads to the basic set but not how
 * the rest is answered; empty values keep the document's shape, which is what clients handle.
 */
function narrowed(json: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, BASIC_PROFILE.includes(k) ? v : Array.isArray(v) ? [] : null]));
}

function project(u: TenantUser, select: string | undefined, full = true): Record<string, unknown> {
  const all = userJson(u);
  const doc = full ? all : narrowed(all);
  return projectDoc(doc, select);
}

function projectDoc(full: Record<string, unknown>, select: string | undefined): Record<string, unknown> {
  if (select) {
    for (const f of select
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      if (!ALL_PROPS.some((p) => p.toLowerCase() === f.toLowerCase())) {
        throw badRequest(`Could not find a property named '${f}' on type 'microsoft.graph.user'.`, 'Request_BadRequest');
      }
    }
    return applySelect(full, select);
  }
  return Object.fromEntries(DEFAULT_PROPS.map((p) => [p, full[p]]));
}

const contextFor = (ctx: DevTenantContext, version: string, select: string | undefined, entity: boolean) =>
  `${ctx.origin()}/${version}/$metadata#users${select ? `(${select})` : ''}${entity ? '/$entity' : ''}`;

function resolve(req: GraphRequest, ctx: DevTenantContext): TenantUser {
  const user = ctx.tenant.findUser(req.params.id!);
  if (!user) throw notFound(`Resource '${req.params.id}' does not exist or one of its queried reference-property objects are not present.`);
  return user;
}

/** Reading yourself needs User.Read; others need a directory-wide read permission. */
function userReadPermissions(self: string[]) {
  return (req: GraphRequest, ctx: DevTenantContext): PermissionRule => {
    const target = ctx.tenant.findUser(req.params.id!);
    const isSelf = req.identity.kind === 'delegated' && target?.id === req.identity.userId;
    return {
      delegated: isSelf
        ? [...self, 'User.ReadBasic.All', 'User.Read.All', 'Directory.Read.All']
        : ['User.ReadBasic.All', 'User.Read.All', 'Directory.Read.All'],
      application: ['User.Read.All', 'Directory.Read.All'],
      directory: true,
    };
  };
}

const quoted = /'((?:[^']|'')*)'/g;

/** Splits a filter at its top-level ` or ` (outside quoted strings). */
function orClauses(filter: string): string[] {
  const parts: string[] = [];
  let inQuote = false;
  let start = 0;
  for (let i = 0; i < filter.length; i++) {
    if (filter[i] === "'") inQuote = !inQuote; // an escaped '' toggles twice
    const or = inQuote ? null : /^\s+or\s+/i.exec(filter.slice(i));
    if (or) {
      parts.push(filter.slice(start, i));
      start = i + or[0].length;
      i = start - 1;
    }
  }
  parts.push(filter.slice(start));
  return parts.map((p) => p.trim());
}

/** Clauses joined by `or` (Graph's limit on child clauses counts each `in` value too). */
function filterUsers(users: TenantUser[], filter: string): TenantUser[] {
  const clauses = orClauses(filter);
  if (clauses.length === 1) return filterOne(users, clauses[0]!);
  const childClauses = clauses.reduce((n, c) => n + (/\s+in\s+\(/i.test(c) ? [...c.matchAll(quoted)].length : 1), 0);
  if (childClauses > MAX_IN_VALUES) {
    throw new GraphError(
      400,
      'Request_UnsupportedQuery',
      `Too many child clauses specified in search filter expression containing 'OR' operators: ${childClauses}. Max allowed: ${MAX_IN_VALUES}.`,
    );
  }
  const matched = new Set(clauses.flatMap((c) => filterOne(users, c)));
  return users.filter((u) => matched.has(u));
}

function filterOne(users: TenantUser[], filter: string): TenantUser[] {
  const f = filter.trim();
  let m = /^(id|userPrincipalName|mail)\s+in\s+\((.*)\)$/i.exec(f);
  if (m) {
    const values = [...m[2]!.matchAll(quoted)].map((x) => x[1]!.replace(/''/g, "'").toLowerCase());
    if (values.length > MAX_IN_VALUES) {
      throw new GraphError(
        400,
        'Request_UnsupportedQuery',
        `Too many child clauses specified in search filter expression containing 'OR' operators: ${values.length}. Max allowed: ${MAX_IN_VALUES}.`,
      );
    }
    const prop = m[1]!.toLowerCase();
    return users.filter((u) => values.includes((prop === 'id' ? u.id : u.userPrincipalName).toLowerCase()));
  }
  m = /^(id|userPrincipalName|mail|displayName|givenName|surname)\s+eq\s+'((?:[^']|'')*)'$/i.exec(f);
  if (m) {
    const prop = m[1]!;
    const value = m[2]!.replace(/''/g, "'").toLowerCase();
    return users.filter(
      (u) =>
        String(userJson(u)[Object.keys(userJson(u)).find((k) => k.toLowerCase() === prop.toLowerCase())!] ?? '').toLowerCase() === value,
    );
  }
  m = /^startswith\(\s*(displayName|givenName|surname|userPrincipalName|mail)\s*,\s*'((?:[^']|'')*)'\s*\)$/i.exec(f);
  if (m) {
    const prop = m[1]!;
    const value = m[2]!.replace(/''/g, "'").toLowerCase();
    return users.filter((u) =>
      String(userJson(u)[Object.keys(userJson(u)).find((k) => k.toLowerCase() === prop.toLowerCase())!] ?? '')
        .toLowerCase()
        .startsWith(value),
    );
  }
  throw new GraphError(400, 'Request_UnsupportedQuery', 'Unsupported Query.');
}

const photoCache = new Map<string, Buffer>();
function photo(user: TenantUser, size: number): Buffer {
  const key = `${user.id}:${size}`;
  let jpeg = photoCache.get(key);
  if (!jpeg) {
    jpeg = generatePhotoJpeg(user, size);
    photoCache.set(key, jpeg);
  }
  return jpeg;
}

function requirePhoto(user: TenantUser): void {
  if (!user.hasPhoto)
    throw new GraphError(
      404,
      'ImageNotFound',
      "Exception of type 'Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException' was thrown.",
    );
}

const photoPermissions = userReadPermissions(['User.Read']);

export const userRoutes: GraphRoute[] = [
  {
    method: 'GET',
    pattern: '/users/{id}',
    permissions: userReadPermissions(['User.Read']),
    handler: (req, ctx) => {
      const select = queryOption(req.query, 'select');
      const user = resolve(req, ctx);
      return {
        status: 200,
        body: { '@odata.context': contextFor(ctx, req.version, select, true), ...project(user, select, readsFullProfile(req, user)) },
      };
    },
  },
  {
    method: 'GET',
    pattern: '/users',
    permissions: {
      delegated: ['User.ReadBasic.All', 'User.Read.All', 'Directory.Read.All'],
      application: ['User.Read.All', 'Directory.Read.All'],
      directory: true,
    },
    handler: (req, ctx) => {
      const select = queryOption(req.query, 'select');
      const filter = queryOption(req.query, 'filter');
      const all = filter ? filterUsers(ctx.tenant.listUsers(), filter) : ctx.tenant.listUsers();
      const page = pageOf(all, req.query, Math.max(ctx.pageSize, 100));
      const body: Record<string, unknown> = { '@odata.context': contextFor(ctx, req.version, select, false) };
      if ((queryOption(req.query, 'count') ?? '').toLowerCase() === 'true' && !queryOption(req.query, 'skiptoken'))
        body['@odata.count'] = all.length;
      body.value = page.items.map((u) => project(u, select, readsFullProfile(req, u)));
      if (page.nextSkip !== undefined) body['@odata.nextLink'] = nextLink(ctx.origin(), req.version, req.path, req.query, page.nextSkip);
      return { status: 200, body };
    },
  },
  {
    method: 'GET',
    pattern: '/users/{id}/photo',
    permissions: photoPermissions,
    handler: (req, ctx) => {
      const user = resolve(req, ctx);
      requirePhoto(user);
      return {
        status: 200,
        body: {
          '@odata.context': `${ctx.origin()}/${req.version}/$metadata#users('${user.id}')/photo/$entity`,
          '@odata.mediaContentType': 'image/jpeg',
          '@odata.mediaEtag': `"${user.id.slice(0, 8).toUpperCase()}"`,
          id: '648X648',
          height: 648,
          width: 648,
        },
      };
    },
  },
  {
    method: 'GET',
    pattern: '/users/{id}/photo/$value',
    permissions: photoPermissions,
    handler: (req, ctx) => {
      const user = resolve(req, ctx);
      requirePhoto(user);
      return { status: 200, raw: photo(user, 648), contentType: 'image/jpeg', headers: { ETag: `"${user.id.slice(0, 8).toUpperCase()}"` } };
    },
  },
  {
    method: 'GET',
    pattern: '/users/{id}/photos/{size}/$value',
    permissions: photoPermissions,
    handler: (req, ctx) => {
      const user = resolve(req, ctx);
      const size = req.params.size!.toLowerCase();
      if (!PHOTO_SIZES.includes(size)) throw notFound(`The photo size '${req.params.size}' is not supported.`, 'ImageNotFound');
      requirePhoto(user);
      return { status: 200, raw: photo(user, Number.parseInt(size, 10)), contentType: 'image/jpeg' };
    },
  },
];
