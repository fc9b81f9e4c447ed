// The consent popup lands here: report the outcome to Teams, which closes the window.
import { app, authentication } from '@microsoft/teams-js';

const q = new URLSearchParams(location.search);
const config = (await fetch('/api/config').then((r) => r.json())) as { localHostOrigin: string | null };
await app.initialize(config.localHostOrigin ? [config.localHostOrigin] : undefined);
if (q.get('code')) authentication.notifySuccess('consented');
else authentication.notifyFailure(q.get('error_description') ?? q.get('error') ?? 'unknown');
