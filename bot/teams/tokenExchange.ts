/**
 * The Teams SSO token exchange (signin/tokenExchange invoke), after teams-ai's TeamsSsoBotAuthentication
 * and botbuilder's TeamsSSOTokenExchangeMiddleware, without their OBO dialog: validate first (a failure is
 * 412 for every delivery, so Teams shows the card's sign-in page), then deduplicate (Teams delivers an
 * exchange to every instance and may retry; a duplicate gets an empty 200), then hand the token over.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, type Storage, type TurnContext } from 'botbuilder';
import type { SsoUser } from '../../shared';
import { TtlCache } from '../../shared/cache';

export interface TokenExchangeSettings<TState extends TurnState> {
  /** The OAuth connection the sign-in card names, echoed in every answer. */
  connectionName: string;
  /** Shared by all instances: where the first delivery of an exchange is recorded. */
  storage: Storage;
  /** The token's user; throws when the token is not valid. */
  validate(token: string): Promise<Pick<SsoUser, 'oid' | 'tid'>>;
  /** The first valid delivery, after its 200 is sent. */
  onExchanged(context: TurnContext, state: TState, token: string): void;
}

/** Both an in-memory eTag conflict and a storage's HTTP 412 mean another instance got there first. */
export function isDuplicateWrite(e: unknown): boolean {
  const err = e as { statusCode?: number; code?: number | string; message?: string };
  return err?.statusCode === 412 || err?.code === 412 || /etag conflict|precondition/i.test(String(err?.message ?? ''));
}

const REMEMBER_MS = 10 * 60_000;

export function addSsoTokenExchange<TState extends TurnState>(app: Application<TState>, settings: TokenExchangeSettings<TState>): void {
  // Exchanges seen by this instance; the storage write catches other instances (412 / eTag conflict).
  const seen = new TtlCache<true>(REMEMBER_MS, 10_000);

  /** False when another delivery (or instance) already has this exchange. */
  async function isFirst(key: string, eTag: string): Promise<boolean> {
    if (seen.get(key)) return false;
    seen.set(key, true);
    try {
      // A conditional create (botbuilder's own trick): the first write stores the item, any later write
      // with this eTag conflicts, in memory as an eTag conflict, in blob or Cosmos storage as a 412.
      await settings.storage.write({ [key]: { eTag } });
    } catch (e) {
      if (isDuplicateWrite(e)) return false;
      throw e;
    }
    setTimeout(() => void settings.storage.delete([key]).catch(() => undefined), REMEMBER_MS).unref();
    return true;
  }

  app.addRoute(
    async (context) => context.activity.type === ActivityTypes.Invoke && context.activity.name === 'signin/tokenExchange',
    async (context, state) => {
      const value = (context.activity.value ?? {}) as { id?: string; token?: string };
      const invokeResponse = (status: number, body?: unknown) => context.sendActivity({ type: 'invokeResponse', value: { status, body } });
      const failed = (failureDetail: string) =>
        invokeResponse(412, { id: value.id, connectionName: settings.connectionName, failureDetail });
      if (!value.id || !value.token) {
        await invokeResponse(400, {
          id: value.id,
          connectionName: settings.connectionName,
          failureDetail: 'The token exchange request has no id or token.',
        });
        return;
      }
      let user;
      try {
        user = await settings.validate(value.token);
      } catch {
        await failed('The token could not be validated.');
        return;
      }
      // The token must be the sender's own, in the conversation's tenant.
      const from = String(context.activity.from?.aadObjectId ?? '').toLowerCase();
      const tenant = String(
        context.activity.conversation?.tenantId ??
          (context.activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ??
          '',
      ).toLowerCase();
      if ((from && from !== user.oid) || (tenant && tenant !== user.tid)) {
        await failed('The token does not belong to the sender of this conversation.');
        return;
      }
      if (!(await isFirst(`tokenExchange/${context.activity.conversation?.id}/${value.id}`, value.id))) {
        await invokeResponse(200);
        return;
      }
      await invokeResponse(200, { id: value.id, connectionName: settings.connectionName });
      settings.onExchanged(context, state, value.token);
    },
    true,
  );
}
