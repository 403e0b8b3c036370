import http from 'node:http';

export interface TestResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  location: string | undefined;
}

/**
 * An HTTP client for the real app on an ephemeral port. It sets the Host header (Node's resolver
 * does not map *.localhost to loopback) and keeps cookies for every host, like a browser whose
 * cookies are set on the base host's domain.
 */
export class TestAgent {
  private cookies = new Map<string, string>();

  constructor(
    private readonly port: number,
    private readonly baseHost = 'tracpro.localhost',
  ) {}

  /** The Host header of an org (or of the base host when no subdomain is given). */
  host(subdomain?: string): string {
    return subdomain ? `${subdomain}.${this.baseHost}` : this.baseHost;
  }

  request(method: string, host: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<TestResponse> {
    return new Promise((resolve, reject) => {
      const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const req = http.request(
        { host: '127.0.0.1', port: this.port, method, path, headers: { Host: host, ...(cookie ? { Cookie: cookie } : {}), ...headers } },
        (res) => {
          let data = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (data += chunk));
          res.on('end', () => {
            for (const line of res.headers['set-cookie'] ?? []) {
              const [pair = ''] = line.split(';');
              const [name = '', ...value] = pair.split('=');
              if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
              else this.cookies.set(name, value.join('='));
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data, location: res.headers.location });
          });
        },
      );
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  get(host: string, path: string, headers: Record<string, string> = {}): Promise<TestResponse> {
    return this.request('GET', host, path, undefined, headers);
  }

  /** Reads the CSRF token from a page's form (the sign-in page, or the profile once signed in). */
  async csrfToken(host: string): Promise<string> {
    const page = await this.get(host, this.cookies.size ? '/profile' : '/login');
    const match = /name="_csrf" value="([^"]+)"/.exec(page.body) ?? /name="_csrf" value="([^"]+)"/.exec((await this.get(host, '/login')).body);
    if (!match?.[1]) throw new Error(`no CSRF token on ${host}`);
    return match[1];
  }

  /** Posts a form with a valid CSRF token unless `_csrf` is given (use `_csrf: ''` for none). */
  async post(host: string, path: string, form: Record<string, string | string[]> = {}): Promise<TestResponse> {
    const fields = { ...form };
    if (!('_csrf' in fields)) fields._csrf = await this.csrfToken(host);
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) if (!(key === '_csrf' && v === '')) params.append(key, v);
    return this.request('POST', host, path, params.toString(), { 'Content-Type': 'application/x-www-form-urlencoded' });
  }

  /** Signs in on the base host; the session then serves every org host. */
  async signIn(email: string, password: string): Promise<TestResponse> {
    const res = await this.post(this.host(), '/login', { email, password });
    if (res.status !== 303) throw new Error(`sign-in failed for ${email}: ${res.status}`);
    return res;
  }
}
