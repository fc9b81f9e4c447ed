/** The headers every answer carries, pages, API and errors alike. */
import type { RequestHandler } from 'express';

/** Hosts that may frame the tab: Teams, Outlook and Microsoft 365 (and the local host when configured). */
export const TEAMS_FRAME_ANCESTORS = [
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://teams.cloud.microsoft',
  'https://*.cloud.microsoft',
  'https://*.office.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://*.microsoft365.com',
  'https://*.skype.com',
];

export function securityHeaders(localHostOrigin: string | undefined): RequestHandler {
  const ancestors = ["'self'", ...TEAMS_FRAME_ANCESTORS, ...(localHostOrigin ? [localHostOrigin] : [])].join(' ');
  const headers = {
    // Only our own scripts run (no inline or injected ones); styles stay open because Fluent UI inserts
    // its styles at run time; connections stay open for teams-js, which reads its domain list from a CDN.
    'Content-Security-Policy': `frame-ancestors ${ancestors}; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  };
  return (_req, res, next) => {
    res.set(headers);
    next();
  };
}
