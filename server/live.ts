/** Live presence, put together: the Store, the subscription keeper, the notification feed, the webhook and the push stream. */
import type { DelegateDesk } from '../shared';
import type { Store } from '../shared/store/store';
import { loadEncryptionCertificate } from '../shared/live/encryptionCertificate';
import { createValidationTokenValidator } from '../shared/live/notifications';
import { subscriptionKeeper } from '../shared/live/subscriptionKeeper';
import { presenceFeed } from '../shared/live/presenceFeed';
import type { AppConfig } from './config';
import { LIFECYCLE_PATH, NOTIFICATIONS_PATH, webhookRoutes } from './http/webhook';
import { pushRoutes } from './http/push';

export async function composeLive(
  config: AppConfig,
  desk: DelegateDesk,
  store: Store,
  options: { now?: () => number; watched?: (oid: string) => Promise<string[]> } = {},
) {
  const certificate = config.live
    ? await loadEncryptionCertificate({ certificatePath: config.live.certificatePath, keyPath: config.live.keyPath })
    : undefined;
  const keeper = subscriptionKeeper({
    store,
    desk,
    notificationUrl: `${config.server.publicOrigin}${NOTIFICATIONS_PATH}`,
    lifecycleNotificationUrl: `${config.server.publicOrigin}${LIFECYCLE_PATH}`,
    encryption: certificate && { certificate: certificate.certificateBase64Der, certificateId: certificate.certificateId },
    now: options.now,
    watched: options.watched,
  });
  const push = await pushRoutes({ desk, store, keeper });
  const routers = [push.router];
  if (certificate) {
    const feed = presenceFeed({
      store,
      desk,
      keeper,
      validateTokens: createValidationTokenValidator({
        authorityHost: config.graph.authorityHost,
        clientId: config.graph.clientId,
        tenantIds: config.graph.allowedTenantIds,
      }),
      key: { privateKeyPem: certificate.privateKeyPem, certificateId: certificate.certificateId, thumbprint: certificate.thumbprint },
      now: options.now,
    });
    routers.push(webhookRoutes(feed));
  }
  return { routers, push, keeper };
}
