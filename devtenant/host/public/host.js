// The local Teams host: answers the teams-js postMessage protocol for the framed tab and its
// authentication popup. Protocol notes: ../../../../shared/reference/toolchain.md (teams-js section).
const state = JSON.parse(document.getElementById('host-state').textContent);
const frame = document.getElementById('tab');
const userSelect = document.getElementById('user');
const themeSelect = document.getElementById('theme');
const notices = document.getElementById('notices');
const tabOrigin = new URL(state.tabUrl, location.href).origin;
const sessionId = crypto.randomUUID();
let user = state.user;
let theme = state.theme;
let popup = null;
let pendingAuth = null;

const runtimeConfig = {
  apiVersion: 4,
  hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } },
  isLegacyTeams: false,
  supports: {
    app: {},
    pages: { appButton: {}, tabs: {}, config: {}, backStack: {}, fullTrust: {} },
    teamsCore: {},
    dialog: { url: {}, card: {}, update: {} },
    menus: {},
    call: {},
    chat: {},
  },
};

const userByUpn = (upn) => state.users.find((u) => u.upn.toLowerCase() === String(upn).toLowerCase());

function context(frameContext) {
  const u = userByUpn(user) ?? state.users[0];
  return {
    locale: 'en-us',
    theme,
    entityId: 'delegatedesk',
    subEntityId: '',
    frameContext,
    hostClientType: 'web',
    hostName: 'Teams',
    appSessionId: sessionId,
    sessionId,
    ringId: 'general',
    appLaunchId: sessionId,
    userObjectId: u.id,
    userPrincipalName: u.upn,
    loginHint: u.upn,
    userDisplayName: u.name,
    tid: state.tenantId,
    userLicenseType: 'Unknown',
    isFullScreen: false,
    isMultiWindow: false,
  };
}

async function record(type, detail) {
  await fetch('/api/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type, user, detail }),
  }).catch(() => {});
}

function notice(text) {
  const el = document.createElement('div');
  el.className = 'notice';
  el.textContent = text;
  notices.append(el);
  setTimeout(() => el.remove(), 8000);
}

// Teams' built-in Calls (Calling) app: the tab sends delegates there to act for an executive.
const CALLS_APP_ID = '20c3440d-c67e-4420-9f80-0e50c39693df';

const names = (upns) => upns.map((t) => userByUpn(t)?.name ?? t).join(', ');

function describeDeepLink(url) {
  try {
    const u = new URL(url);
    const users = (u.searchParams.get('users') ?? '').split(',').filter(Boolean);
    if (u.pathname.startsWith('/l/call/'))
      return `Teams would start a ${u.searchParams.get('withVideo') === 'true' ? 'video ' : ''}call with ${names(users)}`;
    if (u.pathname.startsWith('/l/chat/')) return `Teams would open a chat with ${names(users)}`;
    if (u.pathname.startsWith('/l/meetup-join/')) return 'Teams would join the meeting';
    if (u.pathname.startsWith(`/l/app/${CALLS_APP_ID}`)) return 'Teams would open the Calls app';
  } catch {
    // not a URL: fall through
  }
  return `Teams would open ${url}`;
}

async function getAuthToken(args) {
  const [, claims, silent] = args;
  const res = await fetch('/api/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, claims: Array.isArray(claims) ? claims : undefined, silent: silent === true }),
  });
  const body = await res.json().catch(() => ({}));
  // Recorded on the side: Teams answers the tab without a round trip of its own.
  void record('getAuthToken', { ok: res.ok, error: body.error, silent: silent === true });
  return res.ok ? [true, body.token] : [false, body.error ?? 'unknownAuthError'];
}

function authenticate(args, respond) {
  const [requested, width, height] = args;
  // Sign-in pages of the dev tenant are mirrored by this host over http (no certificate warning).
  const target = new URL(requested);
  const url = target.origin === state.authorityOrigin ? location.origin + target.pathname + target.search : requested;
  if (popup && !popup.closed) popup.close();
  popup = window.open(url, 'teams-auth', `width=${width || 600},height=${height || 535},left=100,top=100`);
  if (!popup) {
    respond([false, 'FailedToOpenWindow']);
    return;
  }
  pendingAuth = respond;
  record('authenticate', { url });
  const timer = setInterval(() => {
    if (popup && popup.closed) {
      clearInterval(timer);
      if (pendingAuth) {
        pendingAuth([false, 'CancelledByUser']);
        pendingAuth = null;
      }
    }
  }, 300);
}

// The chat pane's sign-in cards open the same window Teams would (public/chat.js).
window.teamsHostAuthenticate = (url) => new Promise((resolve) => authenticate([url, 600, 600], resolve));

window.addEventListener('message', async (event) => {
  const msg = event.data;
  if (!msg || typeof msg !== 'object' || typeof msg.func !== 'string') return;
  const fromTab = event.source === frame.contentWindow;
  const fromPopup = popup !== null && event.source === popup;
  // Only the configured tab origin may talk to the host.
  if ((!fromTab && !fromPopup) || event.origin !== tabOrigin) return;
  const respond = (args) => event.source.postMessage({ id: msg.id, uuidAsString: msg.uuidAsString, args }, event.origin);
  const args = Array.isArray(msg.args) ? msg.args : [];

  switch (msg.func) {
    case 'initialize':
      respond([fromPopup ? 'authentication' : 'content', 'web', JSON.stringify(runtimeConfig), args[0] ?? '2.0.0']);
      if (fromTab) record('appInitialized', {});
      return;
    case 'getContext':
      respond([context(fromPopup ? 'authentication' : 'content')]);
      return;
    case 'authentication.getAuthToken':
      respond(await getAuthToken(args));
      return;
    case 'authentication.authenticate':
      authenticate(args, respond);
      return;
    case 'authentication.authenticate.success':
    case 'authentication.authenticate.failure': {
      const ok = msg.func.endsWith('success');
      if (pendingAuth) {
        pendingAuth([ok, args[0]]);
        pendingAuth = null;
      }
      setTimeout(() => popup && !popup.closed && popup.close(), 250);
      return;
    }
    case 'call.startCall': {
      const params = args[0] ?? {};
      const targets = Array.isArray(params.targets) ? params.targets : [];
      const video = Array.isArray(params.requestedModalities) && params.requestedModalities.includes('video');
      notice(`Teams would start a ${video ? 'video ' : ''}call with ${names(targets)}`);
      await record('startCall', { targets, requestedModalities: params.requestedModalities ?? ['audio'], source: params.source });
      respond([true]);
      return;
    }
    case 'executeDeepLink': {
      const url = String(args[0] ?? '');
      notice(describeDeepLink(url));
      await record('deepLink', { url });
      respond([true]);
      return;
    }
    case 'appInitialization.appLoaded':
    case 'appInitialization.success':
      record('appLoaded', { func: msg.func });
      return;
    case 'appInitialization.failure':
    case 'appInitialization.expectedFailure':
      record('failure', { func: msg.func, args });
      return;
    case 'registerHandler':
    case 'handlerRegistered':
      return;
    default:
      // Not played by this host: answer like a host that lacks the capability.
      respond([{ errorCode: 100, message: `${msg.func} is not supported by the local Teams host` }]);
  }
});

const starting = document.getElementById('tab-starting');
let loadGeneration = 0;

/**
 * `npm start` opens this page while the product server may still be starting: a frame pointed at it
 * then shows the browser's error until reloaded. So the frame is loaded only once the server answers
 * (an opaque no-cors probe: any answer means it is up), saying "starting…" and retrying until then.
 */
async function loadTab() {
  const mine = ++loadGeneration;
  for (let attempt = 0; mine === loadGeneration; attempt++) {
    try {
      await fetch(state.tabUrl, { mode: 'no-cors', cache: 'no-store' });
      break;
    } catch {
      if (mine !== loadGeneration) return;
      starting.hidden = false;
      frame.hidden = true;
      await new Promise((r) => setTimeout(r, Math.min(2000, 250 * 2 ** attempt)));
    }
  }
  if (mine !== loadGeneration) return;
  starting.hidden = true;
  frame.hidden = document.getElementById('tab-chat')?.getAttribute('aria-selected') === 'true';
  frame.src = state.tabUrl;
}

userSelect.addEventListener('change', () => {
  user = userSelect.value;
  const url = new URL(location.href);
  url.searchParams.set('user', user);
  history.replaceState(null, '', url);
  loadTab();
});

themeSelect.addEventListener('change', () => {
  theme = themeSelect.value;
  document.body.dataset.theme = theme;
  const url = new URL(location.href);
  url.searchParams.set('theme', theme);
  history.replaceState(null, '', url);
  frame.contentWindow?.postMessage({ func: 'themeChange', args: [theme] }, tabOrigin);
});

loadTab();
