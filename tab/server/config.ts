/** The web server's own settings (the Graph module's come from shared/config). */
import { z } from 'zod/v4';

export interface ServerConfig {
  port: number;
  /** Origin of the local Teams host allowed to frame the tab (local development only). */
  localHostOrigin?: string;
  pollSeconds: number;
  /** Where the built tab is. */
  staticDir: string;
}

export function loadServerConfig(env: Record<string, string | undefined>, defaults: { staticDir: string }): ServerConfig {
  const parsed = z
    .object({
      PORT: z.coerce.number({ error: 'PORT must be a port number' }).int().min(0).max(65535).default(3978),
      LOCAL_TEAMS_HOST_ORIGIN: z
        .string()
        .regex(/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/, 'LOCAL_TEAMS_HOST_ORIGIN must be an http://localhost origin (local development only)')
        .optional(),
      TAB_STATIC_DIR: z.string().optional(),
      TAB_POLL_SECONDS: z.coerce.number({ error: 'TAB_POLL_SECONDS must be a number of seconds' }).min(1).max(3600).default(30),
    })
    .safeParse(env);
  if (!parsed.success) throw new Error(`The server is not configured correctly:\n${parsed.error.issues.map((i) => `  - ${i.message}`).join('\n')}`);
  return { port: parsed.data.PORT, localHostOrigin: parsed.data.LOCAL_TEAMS_HOST_ORIGIN, pollSeconds: parsed.data.TAB_POLL_SECONDS, staticDir: parsed.data.TAB_STATIC_DIR ?? defaults.staticDir };
}
