/**
 * Rows of one large table in (key, row) order without re-sorting on every change: the generated
 * rows stay in a frozen sorted array, and rows whose key changed (or that were created later) move
 * to a small sorted overlay. Scans merge both, which is how a row "moves" during a walk exactly as
 * it would on the real server.
 */
export class OrderedIndex {
  private base: Int32Array = new Int32Array(0);
  private baseKeys: Float64Array = new Float64Array(0);
  private moved: Uint8Array = new Uint8Array(0);
  private overlay: number[] = [];

  /** @param keyOf current sort key of a row (microseconds). */
  constructor(private readonly keyOf: (row: number) => number) {}

  /**
   * Sorts the first `count` rows by (key, row) into the frozen base.
   * @param count number of generated rows.
   */
  build(count: number): void {
    const rows = new Int32Array(count);
    for (let i = 0; i < count; i++) rows[i] = i;
    const keyOf = this.keyOf;
    rows.sort((a, b) => keyOf(a) - keyOf(b) || a - b);
    this.base = rows;
    this.baseKeys = new Float64Array(count);
    for (let i = 0; i < count; i++) this.baseKeys[i] = keyOf(rows[i]!);
    this.moved = new Uint8Array(count);
    this.overlay = [];
  }

  /**
   * Records that a row's key changed or that a new row exists; call after changing the key.
   * @param row the row index.
   */
  touch(row: number): void {
    if (row < this.moved.length) {
      if (this.moved[row] === 0) this.moved[row] = 1;
      else this.removeFromOverlay(row);
    } else {
      this.removeFromOverlay(row);
    }
    const key = this.keyOf(row);
    let lo = 0;
    let hi = this.overlay.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = this.overlay[mid]!;
      const otherKey = this.keyOf(other);
      if (otherKey < key || (otherKey === key && other < row)) lo = mid + 1;
      else hi = mid;
    }
    this.overlay.splice(lo, 0, row);
  }

  private removeFromOverlay(row: number): void {
    const at = this.overlay.indexOf(row);
    if (at >= 0) this.overlay.splice(at, 1);
  }

  private lowerBase(key: number): number {
    let lo = 0;
    let hi = this.baseKeys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.baseKeys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private upperBase(key: number): number {
    let lo = 0;
    let hi = this.baseKeys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.baseKeys[mid]! <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private lowerOverlay(key: number, inclusive: boolean): number {
    let lo = 0;
    let hi = this.overlay.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keyOf(this.overlay[mid]!);
      if (k < key || (!inclusive && k === key)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Yields rows in ascending (key, row) order with lo ≤ key ≤ hi.
   * @param lo inclusive lower key bound.
   * @param hi inclusive upper key bound.
   */
  *ascending(lo: number, hi: number): Generator<number> {
    let b = this.lowerBase(lo);
    let o = this.lowerOverlay(lo, true);
    const base = this.base;
    const overlay = this.overlay;
    for (;;) {
      while (b < base.length && this.moved[base[b]!] === 1) b++;
      const hasBase = b < base.length && this.baseKeys[b]! <= hi;
      const hasOverlay = o < overlay.length && this.keyOf(overlay[o]!) <= hi;
      if (!hasBase && !hasOverlay) return;
      if (hasBase && hasOverlay) {
        const bk = this.baseKeys[b]!;
        const ok = this.keyOf(overlay[o]!);
        if (bk < ok || (bk === ok && base[b]! < overlay[o]!)) yield base[b++]!;
        else yield overlay[o++]!;
      } else if (hasBase) yield base[b++]!;
      else yield overlay[o++]!;
    }
  }

  /**
   * Yields rows in descending (key, row) order with lo ≤ key ≤ hi.
   * @param lo inclusive lower key bound.
   * @param hi inclusive upper key bound.
   */
  *descending(lo: number, hi: number): Generator<number> {
    let b = this.upperBase(hi) - 1;
    let o = this.lowerOverlay(hi, false) - 1;
    const base = this.base;
    const overlay = this.overlay;
    for (;;) {
      while (b >= 0 && this.moved[base[b]!] === 1) b--;
      const hasBase = b >= 0 && this.baseKeys[b]! >= lo;
      const hasOverlay = o >= 0 && this.keyOf(overlay[o]!) >= lo;
      if (!hasBase && !hasOverlay) return;
      if (hasBase && hasOverlay) {
        const bk = this.baseKeys[b]!;
        const ok = this.keyOf(overlay[o]!);
        if (bk > ok || (bk === ok && base[b]! > overlay[o]!)) yield base[b--]!;
        else yield overlay[o--]!;
      } else if (hasBase) yield base[b--]!;
      else yield overlay[o--]!;
    }
  }
}
