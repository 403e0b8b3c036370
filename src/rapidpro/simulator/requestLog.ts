/** One served API request, for tests that assert request counts and pacing. */
export interface RequestLogEntry {
  /** Virtual time of the request. */
  at: string;
  /** Real time in ms since the simulator started. */
  realMs: number;
  method: string;
  path: string;
  query: string;
  workspace: string | null;
  scope: string | null;
  status: number;
  /** Quota left in the scope's window after this request (null when throttling is off). */
  remaining: number | null;
  fault: string | null;
}

/**
 * A bounded in-memory log of API requests.
 */
export class RequestLog {
  private entries: RequestLogEntry[] = [];

  /** @param capacity entries kept (oldest dropped first). */
  constructor(private readonly capacity: number) {}

  /** Appends one entry. */
  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  /** Entries, optionally of one workspace. */
  list(workspace?: string): RequestLogEntry[] {
    return workspace ? this.entries.filter((e) => e.workspace === workspace) : [...this.entries];
  }

  /** Forgets everything. */
  clear(): void {
    this.entries = [];
  }
}
