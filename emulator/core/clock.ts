/** A fixed "now" for seeded data, so that every run on every machine generates the same records. */
export const EMULATOR_EPOCH = new Date('2026-11-01T12:00:00.000Z');

/**
 * The emulator's own clock: the machine's, shifted by `offsetMs` (positive = ahead). Tests shift
 * it to play a service whose clock differs from the client's: signatures are judged by it and
 * every answer's Date header shows it, as a real service's would.
 */
export class EmulatorClock {
  offsetMs = 0;

  /** The service's time at a machine instant (ms since epoch; now by default). */
  at(machineMs = Date.now()): Date {
    return new Date(machineMs + this.offsetMs);
  }
}
