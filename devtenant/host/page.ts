/** The local Teams host page: markup and initial state only; behaviour is in public/host.js. */
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function hostPage(opts: {
  tenantName: string;
  tenantId: string;
  clientId: string;
  tabUrl: string;
  authorityOrigin: string;
  users: Array<{ id: string; upn: string; name: string }>;
  user: string;
  theme: string;
}): string {
  const state = JSON.stringify({
    tabUrl: opts.tabUrl,
    authorityOrigin: opts.authorityOrigin,
    tenantId: opts.tenantId,
    clientId: opts.clientId,
    users: opts.users,
    user: opts.user,
    theme: opts.theme,
  }).replace(/</g, '\\u003c');
  const options = opts.users
    .map((u) => `<option value="${esc(u.upn)}"${u.upn === opts.user ? ' selected' : ''}>${esc(u.name)}</option>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Delegate Desk · local Teams host</title>
<link rel="stylesheet" href="/static/host.css">
</head>
<body data-theme="${esc(opts.theme)}">
<header class="bar">
  <span class="brand">Teams <small>local host · ${esc(opts.tenantName)} dev tenant</small></span>
  <label>Signed in as <select id="user">${options}</select></label>
  <label>Theme <select id="theme">
    <option value="default"${opts.theme === 'default' ? ' selected' : ''}>Light</option>
    <option value="dark"${opts.theme === 'dark' ? ' selected' : ''}>Dark</option>
    <option value="contrast"${opts.theme === 'contrast' ? ' selected' : ''}>High contrast</option>
  </select></label>
</header>
<div class="shell">
  <nav class="rail" aria-label="Apps">
    <a class="app active" href="#" aria-current="page" title="Delegate Desk"><span aria-hidden="true">DD</span><span class="label">Delegate Desk</span></a>
  </nav>
  <main class="stage">
    <div class="apptabs" role="tablist" aria-label="Delegate Desk">
      <button role="tab" id="tab-delegates" aria-selected="true" aria-controls="tab">Delegates</button>
      <button role="tab" id="tab-chat" aria-selected="false" aria-controls="chat">Chat</button>
    </div>
    <p id="tab-starting" class="starting" role="status" hidden>Delegate Desk is starting… <span class="hint">(the page shows it as soon as its server answers)</span></p>
    <iframe id="tab" title="Delegate Desk" src="about:blank" allow="clipboard-write"></iframe>
    <section id="chat" hidden aria-label="Chat with Delegate Desk">
      <ol id="chat-log" aria-live="polite"></ol>
      <form id="chat-form"><input id="chat-input" autocomplete="off" aria-label="Type a message" placeholder="Ask Delegate Desk, e.g. who is my delegate"><button type="submit">Send</button></form>
    </section>
  </main>
</div>
<div id="notices" class="notices" role="status" aria-live="polite"></div>
<script id="host-state" type="application/json">${state}</script>
<script type="module" src="/static/host.js"></script>
<script src="/lib/adaptivecards/adaptivecards.min.js"></script>
<script type="module" src="/static/chat.js"></script>
</body></html>`;
}
