import { Injectable } from '@nestjs/common';

/** Set when the process starts to shut down, so readiness fails before the server stops accepting requests. */
@Injectable()
export class ShutdownState {
  private draining = false;

  beginDraining(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }
}
