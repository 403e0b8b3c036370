/** What a request's Host header points at, relative to the configured base host. */
export type HostTarget = { kind: 'base' } | { kind: 'org'; subdomain: string } | { kind: 'foreign' };

/**
 * Reads the org subdomain from a Host header (spec §3.1): `kigali.tracpro.org` → org "kigali";
 * `www.` prefixes are skipped; ports are ignored so a proxy that drops them changes nothing.
 * @param host the Host header.
 * @param baseHostname the configured base host name, without port.
 * @returns base, org (with its lower-case subdomain) or foreign.
 */
export function parseHost(host: string | undefined, baseHostname: string): HostTarget {
  const hostname = (host ?? '').toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  if (hostname === baseHostname || hostname === `www.${baseHostname}`) return { kind: 'base' };
  if (!hostname.endsWith(`.${baseHostname}`)) return { kind: 'foreign' };
  const labels = hostname.slice(0, -baseHostname.length - 1).split('.').filter((l) => l !== 'www');
  const subdomain = labels.at(-1);
  return subdomain ? { kind: 'org', subdomain } : { kind: 'base' };
}

/**
 * Builds the absolute URL of a path on an org's subdomain (or the base host).
 * @param scheme http or https.
 * @param baseHost the base host with its port.
 * @param subdomain the org's subdomain, or null for the base host.
 * @param path an absolute path.
 * @returns the URL.
 */
export function hostUrl(scheme: string, baseHost: string, subdomain: string | null, path = '/'): string {
  return `${scheme}://${subdomain ? `${subdomain}.` : ''}${baseHost}${path}`;
}
