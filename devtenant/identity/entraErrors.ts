/** Entra ID (AADSTS) error bodies, in the exact shape the v2.0 token endpoint returns. */
import { randomUUID } from 'node:crypto';

export interface EntraErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
  suberror?: string;
  claims?: string;
}

export class EntraError extends Error {
  constructor(
    readonly status: number,
    readonly body: EntraErrorBody,
  ) {
    super(body.error_description);
  }
}

/** "yyyy-MM-dd HH:mm:ssZ", as Entra writes it. */
export function entraTimestamp(at = new Date()): string {
  return `${at.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

export function entraError(
  code: number,
  error: string,
  message: string,
  opts: { status?: number; suberror?: string; claims?: string; correlationId?: string } = {},
): EntraError {
  const timestamp = entraTimestamp();
  const traceId = randomUUID();
  const correlationId = opts.correlationId ?? randomUUID();
  const body: EntraErrorBody = {
    error,
    error_description: `AADSTS${code}: ${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  };
  if (opts.suberror) body.suberror = opts.suberror;
  if (opts.claims) body.claims = opts.claims;
  return new EntraError(opts.status ?? 400, body);
}
