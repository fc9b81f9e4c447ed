/** Graph features with their own lifecycle (timers, outbound callbacks): subscriptions, calls, meetings. */
import type { Router } from 'express';
import type { DevTenantContext } from '../context';
import type { GraphRoute } from './core';

export interface GraphExtensions {
  routes: GraphRoute[];
  mountAdmin: (r: Router) => void;
  start(): void;
  stop(): void;
}

export function graphExtensions(_ctx: DevTenantContext): GraphExtensions {
  return { routes: [], mountAdmin: () => {}, start: () => {}, stop: () => {} };
}
