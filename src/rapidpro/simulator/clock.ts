/** Clock modes: frozen (only moves when stepped) or scaled real time (×1, ×60, …). */
export type ClockMode = { kind: 'frozen' } | { kind: 'scaled'; factor: number };

/**
 * The simulator's virtual clock; it drives every timestamp, range filter and `Date` header.
 */
export class VirtualClock {
  private anchorUs: number;
  private anchorRealMs: number;
  private mode: ClockMode;

  /**
   * @param startUs the virtual instant the clock starts at, in microseconds.
   * @param mode frozen or scaled.
   */
  constructor(startUs: number, mode: ClockMode = { kind: 'frozen' }) {
    this.anchorUs = startUs;
    this.anchorRealMs = performance.now();
    this.mode = mode;
  }

  /** Current virtual time in integer microseconds. */
  nowUs(): number {
    if (this.mode.kind === 'frozen') return this.anchorUs;
    const elapsedMs = performance.now() - this.anchorRealMs;
    return this.anchorUs + Math.floor(elapsedMs * 1000 * this.mode.factor);
  }

  /** The mode in force. */
  currentMode(): ClockMode {
    return this.mode;
  }

  /** Jumps to an instant; time never runs backwards past what clients have seen, so callers check. */
  set(us: number): void {
    this.anchorUs = Math.floor(us);
    this.anchorRealMs = performance.now();
  }

  /** Steps forward by a number of microseconds. */
  advance(us: number): void {
    this.set(this.nowUs() + us);
  }

  /** Switches between frozen and scaled, keeping the current instant. */
  setMode(mode: ClockMode): void {
    this.set(this.nowUs());
    this.mode = mode;
  }
}
