/** Graph's error envelope and the headers every Graph response carries. */
import { randomUUID } from 'node:crypto';

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { headers?: Record<string, string>; innerError?: Record<string, unknown> } = {},
  ) {
    super(message);
  }
}

/** innerError.date: no time zone, no fractional seconds. */
export const graphDate = (at = new Date()) => at.toISOString().slice(0, 19);

export function errorBody(err: GraphError, requestId: string, clientRequestId: string) {
  return {
    error: {
      code: err.code,
      message: err.message,
      innerError: { ...err.extra.innerError, date: graphDate(), 'request-id': requestId, 'client-request-id': clientRequestId },
    },
  };
}

export const GRAPH_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export function graphHeaders(requestId: string, clientRequestId: string): Record<string, string> {
  return {
    'request-id': requestId,
    'client-request-id': clientRequestId,
    'Cache-Control': 'no-store, no-cache',
    'Strict-Transport-Security': 'max-age=31536000',
    'x-ms-ags-diagnostic': JSON.stringify({
      ServerInfo: { DataCenter: 'Dev Tenant', Slice: 'E', Ring: '5', ScaleUnit: '000', RoleInstance: 'localhost' },
    }),
    'x-ms-resource-unit': '1',
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Expose-Headers':
      'ETag, Location, Preference-Applied, Content-Range, request-id, client-request-id, ReadWriteConsistencyToken, SdkVersion, WWW-Authenticate, x-ms-client-gcc-tenant, Retry-After',
  };
}

export const newRequestId = () => randomUUID();

export const notFound = (message: string, code = 'Request_ResourceNotFound') => new GraphError(404, code, message);
export const badRequest = (message: string, code = 'BadRequest') => new GraphError(400, code, message);
export const invalidToken = (message: string) =>
  new GraphError(401, 'InvalidAuthenticationToken', message, {
    headers: {
      'WWW-Authenticate':
        'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
    },
  });
