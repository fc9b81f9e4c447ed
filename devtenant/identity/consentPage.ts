/** The sign-in and consent page of /{tenant}/oauth2/v2.0/authorize (HTML only; no logic). */
import type { TenantUser } from '../tenant/tenant';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const permissionText: Record<string, string> = {
  'User.Read': 'Sign you in and read your profile',
  'User.ReadBasic.All': "Read all users' basic profiles",
  'CallDelegation.Read': 'Read your call delegation settings (your delegates and delegators)',
  'CallDelegation.ReadWrite': 'Read and change your call delegation settings',
  'Presence.Read.All': 'Read presence information of all users in your organization',
  'Presence.Read': 'Read your presence information',
  'Presence.ReadWrite': 'Read and write your presence information',
  'OnlineMeetings.ReadWrite': 'Create and read online meetings on your behalf',
  'Calendars.ReadWrite': 'Create meetings in your calendar and invite people to them',
  openid: 'Sign you in',
  profile: 'View your basic profile',
  offline_access: 'Maintain access to data you have given it access to',
};

export function consentPage(opts: {
  appName: string;
  tenantName: string;
  permissions: string[];
  users: TenantUser[];
  loginHint?: TenantUser;
  hidden: Record<string, string>;
  error?: string;
}): string {
  const hidden = Object.entries(opts.hidden)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('\n');
  const who = opts.loginHint
    ? `<p>Signed in as <strong>${esc(opts.loginHint.displayName)}</strong> (${esc(opts.loginHint.userPrincipalName)})</p><input type="hidden" name="username" value="${esc(opts.loginHint.userPrincipalName)}">`
    : `<label>Account <select name="username">${opts.users.map((u) => `<option value="${esc(u.userPrincipalName)}">${esc(u.displayName)} (${esc(u.userPrincipalName)})</option>`).join('')}</select></label>
       <label>Password <input type="password" name="password" autocomplete="current-password" required></label>`;
  const perms = opts.permissions.map((p) => `<li>${esc(permissionText[p] ?? p)} <small>(${esc(p)})</small></li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Permissions requested - ${esc(opts.tenantName)} (dev tenant)</title>
<style>
body{font-family:"Segoe UI",system-ui,sans-serif;background:#f3f2f1;margin:0;display:flex;justify-content:center}
main{background:#fff;max-width:440px;margin:40px 12px;padding:32px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:1.4rem;margin-top:0} label{display:block;margin:12px 0} select,input[type=password]{display:block;width:100%;padding:6px;margin-top:4px}
.buttons{display:flex;gap:8px;justify-content:flex-end;margin-top:24px} button{padding:8px 20px;font-size:1rem;border:1px solid #8a8886;background:#fff;cursor:pointer}
button[value=accept]{background:#0067b8;color:#fff;border-color:#0067b8} .error{color:#a4262c} small{color:#605e5c}
</style></head>
<body><main>
<p><small>${esc(opts.tenantName)} &middot; dev tenant</small></p>
<h1>Permissions requested</h1>
<form method="post">
${who}
<p><strong>${esc(opts.appName)}</strong> would like to:</p>
<ul>${perms}</ul>
<p><small>Accepting lets this app use the data as described. You can change these permissions later.</small></p>
${opts.error ? `<p class="error" role="alert">${esc(opts.error)}</p>` : ''}
${hidden}
<div class="buttons"><button type="submit" name="consent" value="cancel">Cancel</button><button type="submit" name="consent" value="accept">Accept</button></div>
</form></main></body></html>`;
}
