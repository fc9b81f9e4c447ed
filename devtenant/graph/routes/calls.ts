/**
 * POST /communications/calls (app-only, Calls.Initiate.All): a peer-to-peer call whose state moves
 * establishing → established, reported to callbackUri as commsNotifications; DELETE hangs up.
 */
import { randomUUID } from 'node:crypto';
import type { DevTenantContext } from '../../context';
import type { GraphRoute } from '../core';
import { badRequest, notFound } from '../errors';
import { acceptableCallbackUrl, deliver } from '../notifications';

const MODALITIES = ['audio', 'video', 'videoBasedScreenSharing', 'data'];
const MEDIA_CONFIGS = ['#microsoft.graph.serviceHostedMediaConfig', '#microsoft.graph.appHostedMediaConfig'];

export interface CallRecord {
  id: string;
  state: 'establishing' | 'established' | 'terminated';
  callbackUri: string;
  body: Record<string, unknown>;
  targets: Array<{ id: string; displayName: string }>;
  createdDateTime: string;
  resultInfo?: { code: number; subcode: number; message: string };
  version: string;
}

export class CallService {
  readonly calls = new Map<string, CallRecord>();
  private readonly timers = new Set<NodeJS.Timeout>();

  /** How long a call stays "establishing" before it is answered. */
  constructor(
    private readonly ctx: DevTenantContext,
    private readonly answerAfterMs = 300,
  ) {}

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private callJson(c: CallRecord) {
    return {
      '@odata.type': '#microsoft.graph.call',
      '@odata.context': `${this.ctx.origin()}/${c.version}/$metadata#app/calls/$entity`,
      id: c.id,
      state: c.state,
      direction: 'outgoing',
      callbackUri: c.callbackUri,
      callChainId: (c.body.callChainId as string | undefined) ?? c.id,
      subject: (c.body.subject as string | undefined) ?? null,
      source: c.body.source ?? {
        '@odata.type': '#microsoft.graph.participantInfo',
        identity: { application: { id: this.ctx.tenant.app.clientId, displayName: this.ctx.tenant.app.displayName } },
      },
      targets: c.body.targets,
      requestedModalities: c.body.requestedModalities,
      mediaConfig: c.body.mediaConfig,
      myParticipantId: randomUUID(),
      tenantId: this.ctx.tenant.id,
      mediaState: null,
      resultInfo: c.resultInfo ?? null,
      chatInfo: null,
      meetingInfo: null,
      toneInfo: null,
      transcription: null,
    };
  }

  /** A call that has not ended; ended calls are gone for Graph (404). */
  private liveCall(id: string): CallRecord {
    const c = this.calls.get(id.toLowerCase());
    if (!c || c.state === 'terminated') throw notFound('Call not found.', 'NotFound');
    return c;
  }

  private notify(c: CallRecord, changeType: 'created' | 'updated' | 'deleted'): Promise<unknown> {
    return deliver(c.callbackUri, {
      '@odata.type': '#microsoft.graph.commsNotifications',
      value: [
        {
          '@odata.type': '#microsoft.graph.commsNotification',
          changeType,
          resourceUrl: `/communications/calls/${c.id}`,
          resourceData: {
            '@odata.type': '#microsoft.graph.call',
            id: c.id,
            state: c.state,
            ...(c.resultInfo ? { resultInfo: c.resultInfo } : {}),
          },
        },
      ],
    });
  }

  private later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  routes(): GraphRoute[] {
    const perms = { application: ['Calls.Initiate.All', 'Calls.InitiateGroupCall.All'] };
    return [
      {
        method: 'POST',
        pattern: '/communications/calls',
        permissions: perms,
        handler: (req) => {
          const b = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
          const callback = acceptableCallbackUrl(b.callbackUri);
          if (!callback) throw badRequest('callbackUri is required and must be an https URL.', 'InvalidRequest');
          const targets = Array.isArray(b.targets) ? (b.targets as Array<{ identity?: { user?: { id?: string } } }>) : [];
          if (targets.length === 0) throw badRequest('A call needs at least one target.', 'InvalidRequest');
          const resolved = targets.map((t) => {
            const id = t.identity?.user?.id;
            const user = id ? this.ctx.tenant.findUser(id) : undefined;
            if (!user) throw notFound(`The target user '${id ?? ''}' was not found.`, 'NotFound');
            return user;
          });
          const modalities = b.requestedModalities;
          if (!Array.isArray(modalities) || modalities.length === 0 || modalities.some((m) => !MODALITIES.includes(String(m)))) {
            throw badRequest(`requestedModalities must list one or more of ${MODALITIES.join(', ')}.`, 'InvalidRequest');
          }
          const mediaType = (b.mediaConfig as { '@odata.type'?: string } | undefined)?.['@odata.type'];
          if (!mediaType || !MEDIA_CONFIGS.includes(mediaType))
            throw badRequest('mediaConfig must be a serviceHostedMediaConfig or appHostedMediaConfig.', 'InvalidRequest');

          const call: CallRecord = {
            id: randomUUID(),
            state: 'establishing',
            callbackUri: callback.toString(),
            body: b,
            targets: resolved.map((u) => ({ id: u.id, displayName: u.displayName })),
            createdDateTime: new Date().toISOString(),
            version: req.version,
          };
          this.calls.set(call.id, call);
          void this.notify(call, 'created');
          this.later(() => {
            if (call.state !== 'establishing') return;
            // UNCONFIRMED: the code Graph reports for an unreachable callee; 480 (temporarily unavailable) mirrors SIP.
            const offline = resolved.every((u) => this.ctx.tenant.effectivePresence(u.id).availability === 'Offline');
            if (offline) {
              call.state = 'terminated';
              call.resultInfo = { code: 480, subcode: 10037, message: 'The callee is not available.' };
            } else {
              call.state = 'established';
            }
            void this.notify(call, call.state === 'terminated' ? 'deleted' : 'updated');
          }, this.answerAfterMs);
          return {
            status: 201,
            body: this.callJson(call),
            headers: { Location: `${this.ctx.origin()}/${req.version}/communications/calls/${call.id}` },
          };
        },
      },
      {
        method: 'GET',
        pattern: '/communications/calls/{id}',
        permissions: perms,
        handler: (req) => {
          const c = this.liveCall(req.params.id!);
          return { status: 200, body: this.callJson(c) };
        },
      },
      {
        method: 'DELETE',
        pattern: '/communications/calls/{id}',
        permissions: perms,
        handler: (req) => {
          const c = this.liveCall(req.params.id!);
          c.state = 'terminated';
          c.resultInfo = { code: 200, subcode: 5001, message: 'The conversation has ended.' };
          void this.notify(c, 'deleted');
          return { status: 204 };
        },
      },
    ];
  }
}
