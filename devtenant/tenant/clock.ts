/**
 * The dev tenant's clock for simulated data (presence schedule, timestamps). Tokens always use real
 * time, because the product validates their expiry against its own clock.
 */
export class TenantClock {
  private fixedAt: number | undefined;
  private offsetMs = 0;

  constructor(fixedAt?: Date) {
    this.fixedAt = fixedAt?.getTime();
  }

  now(): number {
    return (this.fixedAt ?? Date.now()) + this.offsetMs;
  }

  get isFixed(): boolean {
    return this.fixedAt !== undefined;
  }

  set(at: Date): void {
    this.fixedAt = at.getTime();
    this.offsetMs = 0;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  release(): void {
    this.fixedAt = undefined;
    this.offsetMs = 0;
  }
}
