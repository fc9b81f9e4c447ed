/**
 * The dev tenant's Graph dispatcher. Routes are plain functions from a GraphRequest to a
 * GraphResponse, so the same code answers a direct HTTP request and an item inside $batch.
 */
import { decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import type { DevTenantContext } from '../context';
import { GraphError, badRequest, invalidToken } from './errors';
import { GRAPH_AUDIENCES } from '../identity/constants';
import { v1Issuer } from '../identity/tokens';

export type GraphVersion = 'v1.0' | 'beta';

export interface GraphIdentity {
  kind: 'delegated' | 'application';
  userId?: string;
  appId: string;
  /** Lower-cased delegated scopes. */
  scopes: Set<string>;
  /** Lower-cased application roles. */
  roles: Set<string>;
  claims: JWTPayload;
}

export interface GraphRequest {
  method: string;
  version: GraphVersion;
  /** Path after the version, starting with '/', segments decoded; /me already rewritten to /users/{id}. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  body: unknown;
  requestId: string;
  clientRequestId: string;
  inBatch: boolean;
  viaMe: boolean;
  identity: GraphIdentity;
  params: Record<string, string>;
}

export interface GraphResponse {
  status: number;
  body?: unknown;
  /** Binary body (photos). */
  raw?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface PermissionRule {
  delegated?: string[];
  application?: string[];
  /** Directory endpoints answer 403 with Authorization_RequestDenied instead of Forbidden. */
  directory?: boolean;
}

export interface GraphRoute {
  method: string;
  /** e.g. '/users/{id}/presence'. */
  pattern: string;
  versions?: GraphVersion[];
  permissions: PermissionRule | ((req: GraphRequest, ctx: DevTenantContext) => PermissionRule);
  /** Which presence rate limit bucket this route counts against, if any. */
  presenceLimited?: boolean;
  handler: (req: GraphRequest, ctx: DevTenantContext) => GraphResponse | Promise<GraphResponse>;
}

interface CompiledRoute extends GraphRoute {
  segments: string[];
}

export class GraphRouter {
  private readonly routes: CompiledRoute[] = [];

  add(...routes: GraphRoute[]): this {
    for (const r of routes) this.routes.push({ ...r, segments: r.pattern.split('/').filter(Boolean) });
    return this;
  }

  /** Finds the route for a path; throws Graph's own errors for unknown segments or methods. */
  match(method: string, version: GraphVersion, path: string): { route: CompiledRoute; params: Record<string, string> } {
    const segs = path.split('/').filter(Boolean);
    let pathMatched = false;
    for (const route of this.routes) {
      if (route.versions && !route.versions.includes(version)) continue;
      if (route.segments.length !== segs.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segs.length; i++) {
        const p = route.segments[i]!;
        const s = segs[i]!;
        if (p.startsWith('{') && p.endsWith('}')) params[p.slice(1, -1)] = s;
        else if (p.toLowerCase() !== s.toLowerCase()) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      pathMatched = true;
      if (route.method === method) return { route, params };
    }
    if (pathMatched) throw new GraphError(405, 'Request_BadRequest', `Specified HTTP method is not allowed for the request target.`);
    const unknown =
      segs.find((s, i) => !this.routes.some((r) => r.segments[i] && (r.segments[i] === s || r.segments[i]!.startsWith('{')))) ??
      segs.at(-1) ??
      '';
    throw badRequest(`Resource not found for the segment '${unknown}'.`);
  }

  routeKey(route: GraphRoute, version: GraphVersion): string {
    return `${route.method} /${version}${route.pattern}`;
  }
}

/** Splits "/v1.0/users('x')/presence" style paths into version and normalised segments. */
export function splitGraphPath(rawPath: string): { version: GraphVersion; path: string } {
  const m = /^\/(v1\.0|beta)(\/.*)?$/i.exec(rawPath);
  if (!m) throw badRequest(`Invalid version: ${rawPath.split('/')[1] ?? ''}`);
  const version = (m[1]!.toLowerCase() === 'beta' ? 'beta' : 'v1.0') as GraphVersion;
  const rest = (m[2] ?? '/')
    .replace(/\(\s*'([^']*)'\s*\)/g, (_all, key: string) => `/${encodeURIComponent(key)}`)
    .split('/')
    .filter(Boolean)
    .map((s) => decodeURIComponent(s));
  return { version, path: `/${rest.join('/')}` };
}

const lower = (xs: string[]) => new Set(xs.map((x) => x.toLowerCase()));

/** Checks the bearer token as Graph does: signature, audience, issuer, lifetime. */
export async function authenticate(authorization: string | undefined, ctx: DevTenantContext): Promise<GraphIdentity> {
  if (!authorization || !/^Bearer\s+\S/i.test(authorization)) throw invalidToken('Access token is empty.');
  const token = authorization.replace(/^Bearer\s+/i, '').trim();
  let claims: JWTPayload;
  try {
    decodeProtectedHeader(token);
    claims = decodeJwt(token);
  } catch {
    throw invalidToken('CompactToken parsing failed with error code: 80049217');
  }
  try {
    await ctx.keys.verifySignature(token);
  } catch {
    throw invalidToken('Access token validation failure. Invalid signature.');
  }
  if (typeof claims.aud !== 'string' || !GRAPH_AUDIENCES.has(claims.aud))
    throw invalidToken('Access token validation failure. Invalid audience.');
  if (claims.iss !== v1Issuer(ctx.tenant.id) || claims.tid !== ctx.tenant.id)
    throw invalidToken('Access token validation failure. Invalid issuer.');
  const now = Math.floor(Date.now() / 1000);
  if ((claims.exp ?? 0) < now - 300 || (claims.nbf ?? 0) > now + 300) throw invalidToken('Access token has expired or is not yet valid.');
  const scp = typeof claims.scp === 'string' ? claims.scp.split(' ').filter(Boolean) : [];
  const roles = Array.isArray(claims.roles) ? (claims.roles as string[]) : [];
  const delegated = typeof claims.scp === 'string';
  return {
    kind: delegated ? 'delegated' : 'application',
    userId: delegated ? String(claims.oid) : undefined,
    appId: String(claims.appid ?? claims.azp ?? ''),
    scopes: lower(scp),
    roles: lower(roles),
    claims,
  };
}

export function authorize(rule: PermissionRule, identity: GraphIdentity): void {
  const allowed = identity.kind === 'delegated' ? rule.delegated : rule.application;
  const held = identity.kind === 'delegated' ? identity.scopes : identity.roles;
  if (allowed && allowed.some((p) => held.has(p.toLowerCase()))) return;
  if (rule.directory) throw new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  if (!allowed || allowed.length === 0) {
    throw new GraphError(
      403,
      'Forbidden',
      `This API does not support ${identity.kind === 'delegated' ? 'delegated' : 'application'} permissions.`,
    );
  }
  const kind = identity.kind === 'delegated' ? 'Scopes' : 'Roles';
  throw new GraphError(
    403,
    'Forbidden',
    `Missing ${identity.kind === 'delegated' ? 'scope' : 'role'} permissions on the request. API requires one of '${allowed.join(', ')}'. ${kind} on the request '${[...held].join(', ') || 'none'}'`,
  );
}
