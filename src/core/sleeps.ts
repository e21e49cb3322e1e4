/** Delays (retry and restart backoffs) that a stop can cut short all at once. */
export class Sleeps {
  private readonly sleeping = new Set<() => void>();

  /** Resolves true after `ms`, or false as soon as interruptAll() is called. */
  sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const interrupt = (): void => {
        clearTimeout(timer);
        this.sleeping.delete(interrupt);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.sleeping.delete(interrupt);
        resolve(true);
      }, ms);
      this.sleeping.add(interrupt);
    });
  }

  interruptAll(): void {
    for (const interrupt of [...this.sleeping]) interrupt();
  }
}
