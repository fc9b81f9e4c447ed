/** Call delegation (beta): /users/{id}/communications/callSettings/delegates|delegators. */
import type { DevTenantContext } from '../../context';
import type { GraphRoute, GraphRequest } from '../core';
import { GraphError, notFound, badRequest } from '../errors';
import { queryOption, parseBooleanEqFilter, pageOf, nextLink } from '../odata';
import { allowedActionNames } from '../../tenant/seedTypes';
import type { Delegation } from '../../tenant/tenant';

const permissions = { delegated: ['CallDelegation.Read', 'CallDelegation.ReadWrite'] };

/** The list is per user; only yourself, since only delegated permissions exist for this API. */
function ownerOf(req: GraphRequest, ctx: DevTenantContext) {
  const user = ctx.tenant.findUser(req.params.id!);
  if (!user) throw notFound(`Resource '${req.params.id}' does not exist or one of its queried reference-property objects are not present.`);
  if (user.id !== req.identity.userId) {
    throw new GraphError(403, 'Forbidden', 'Delegated access to the call settings of another user is not allowed.');
  }
  if (!user.allowDelegation) {
    // UNCONFIRMED: Graph documents no error for this case; the code and message are the dev tenant's choice.
    throw new GraphError(
      403,
      'Forbidden',
      'Call delegation is not allowed for this user by the Teams calling policy (AllowDelegation is false).',
      {
        innerError: { code: 'CallDelegationNotAllowedByPolicy' },
      },
    );
  }
  return user;
}

function toGraph(d: Delegation, side: 'delegates' | 'delegators') {
  return {
    '@odata.type': '#microsoft.graph.delegationSettings',
    id: side === 'delegates' ? d.delegateId : d.delegatorId,
    createdDateTime: d.createdDateTime,
    isActive: d.isActive,
    allowedActions: { '@odata.type': 'microsoft.graph.delegateAllowedActions', ...d.allowedActions },
  };
}

function listRoute(side: 'delegates' | 'delegators'): GraphRoute {
  return {
    method: 'GET',
    pattern: `/users/{id}/communications/callSettings/${side}`,
    versions: ['beta'],
    permissions,
    handler: (req, ctx) => {
      const owner = ownerOf(req, ctx);
      let all = side === 'delegates' ? ctx.tenant.delegatesOf(owner.id) : ctx.tenant.delegatorsOf(owner.id);
      const filter = queryOption(req.query, 'filter');
      if (filter) {
        for (const [path, value] of parseBooleanEqFilter(filter)) {
          const [head, action] = path.split('/');
          if (head === 'isActive' && !action) all = all.filter((d) => d.isActive === value);
          else if (head === 'allowedActions' && action && (allowedActionNames as readonly string[]).includes(action)) {
            all = all.filter((d) => d.allowedActions[action as keyof Delegation['allowedActions']] === value);
          } else throw badRequest(`Could not find a property named '${path}' on type 'microsoft.graph.delegationSettings'.`);
        }
      }
      const page = pageOf(all, req.query, ctx.pageSize);
      const body: Record<string, unknown> = {
        '@odata.context': `${ctx.origin()}/beta/$metadata#users('${owner.id}')/communications/callSettings/${side}`,
      };
      if ((queryOption(req.query, 'count') ?? '').toLowerCase() === 'true' && !queryOption(req.query, 'skiptoken'))
        body['@odata.count'] = all.length;
      body.value = page.items.map((d) => toGraph(d, side));
      if (page.nextSkip !== undefined)
        body['@odata.nextLink'] = nextLink(
          ctx.origin(),
          req.version,
          req.viaMe ? req.path.replace(`/users/${owner.id}`, '/me') : req.path,
          req.query,
          page.nextSkip,
        );
      return { status: 200, body };
    },
  };
}

function getRoute(side: 'delegates' | 'delegators'): GraphRoute {
  return {
    method: 'GET',
    pattern: `/users/{id}/communications/callSettings/${side}/{otherId}`,
    versions: ['beta'],
    permissions,
    handler: (req, ctx) => {
      const owner = ownerOf(req, ctx);
      const list = side === 'delegates' ? ctx.tenant.delegatesOf(owner.id) : ctx.tenant.delegatorsOf(owner.id);
      const other = req.params.otherId!.toLowerCase();
      const d = list.find((x) => (side === 'delegates' ? x.delegateId : x.delegatorId) === other);
      if (!d)
        throw notFound(`The ${side === 'delegates' ? 'delegate' : 'delegator'} '${req.params.otherId}' was not found.`, 'itemNotFound');
      return {
        status: 200,
        body: {
          '@odata.context': `${ctx.origin()}/beta/$metadata#users('${owner.id}')/communications/callSettings/${side}/$entity`,
          ...toGraph(d, side),
        },
      };
    },
  };
}

export const delegationRoutes: GraphRoute[] = [
  listRoute('delegates'),
  listRoute('delegators'),
  getRoute('delegates'),
  getRoute('delegators'),
  {
    method: 'GET',
    pattern: '/users/{id}/communications/callSettings',
    versions: ['beta'],
    permissions,
    handler: (req, ctx) => {
      ownerOf(req, ctx);
      return {
        status: 200,
        body: {
          '@odata.context': `${ctx.origin()}/beta/$metadata#users('${req.params.id}')/communications/callSettings/$entity`,
          '@odata.type': '#microsoft.graph.callSettings',
        },
      };
    },
  },
];
