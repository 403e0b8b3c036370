/**
 * A browser-like HTTP client for page benchmarks: keeps its connections alive and its cookies, sets
 * the org's Host header (Node does not resolve *.localhost), and can download a large file in a
 * child process.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';

/** A response read in full. */
export interface BenchResponse {
  status: number;
  type: string;
  body: string;
}

export class BenchAgent {
  private readonly cookies = new Map<string, string>();
  private readonly connections = new http.Agent({ keepAlive: true, maxSockets: 6 });

  constructor(
    private readonly port: number,
    private readonly baseHost = 'tracpro.localhost',
  ) {}

  /** The Host of an org (or of the base host). */
  host(subdomain?: string): string {
    return subdomain ? `${subdomain}.${this.baseHost}` : this.baseHost;
  }

  /**
   * Downloads an address in a child process (bench/lib/download.ts) with this agent's cookies, so
   * the client's buffers stay out of this process's memory.
   * @param host the Host header.
   * @param path the address.
   * @returns the status, content type, bytes and lines received.
   */
  async download(host: string, path: string): Promise<{ status: number; type: string; bytes: number; lines: number }> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/download.ts', String(this.port), host, path, cookie], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const [code] = (await once(child, 'close')) as [number];
    if (code !== 0) throw new Error(`download of ${path} failed`);
    return JSON.parse(out) as { status: number; type: string; bytes: number; lines: number };
  }

  private send(method: string, host: string, path: string, body: string | undefined, onData: (chunk: Buffer) => void): Promise<{ status: number; type: string; location?: string }> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { Host: host };
      if (this.cookies.size) headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      if (body !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
      const req = http.request({ host: '127.0.0.1', port: this.port, method, path, headers, agent: this.connections }, (res) => {
        for (const line of res.headers['set-cookie'] ?? []) {
          const [pair = ''] = line.split(';');
          const [name = '', ...value] = pair.split('=');
          this.cookies.set(name, value.join('='));
        }
        res.on('data', onData);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), ...(res.headers.location ? { location: res.headers.location } : {}) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  /** GET, reading the whole body. */
  async get(host: string, path: string): Promise<BenchResponse> {
    const chunks: Buffer[] = [];
    const res = await this.send('GET', host, path, undefined, (chunk) => chunks.push(chunk));
    return { status: res.status, type: res.type, body: Buffer.concat(chunks).toString('utf8') };
  }


  /** Signs in on the base host with the sign-in form's CSRF token. */
  async signIn(email: string, password: string): Promise<void> {
    const form = await this.get(this.host(), '/login');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
    if (!csrf) throw new Error('no CSRF token on the sign-in page');
    const body = new URLSearchParams({ _csrf: csrf, email, password }).toString();
    const res = await this.send('POST', this.host(), '/login', body, () => undefined);
    if (res.status !== 303) throw new Error(`sign-in failed for ${email}: ${res.status}`);
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.connections.destroy();
  }
}
