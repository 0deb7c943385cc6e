import { Injectable } from '@nestjs/common';

/** Set when the process starts to shut down, so readiness fails before the server stops accepting requests. */
@Injectable()
export class ShutdownState {
  private draining = false;
  private readonly drainListeners: Array<() => void> = [];

  beginDraining(): void {
    if (this.draining) return;
    this.draining = true;
    for (const listener of this.drainListeners) listener();
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Runs `listener` once, when draining begins. */
  whenDraining(listener: () => void): void {
    this.drainListeners.push(listener);
  }
}
