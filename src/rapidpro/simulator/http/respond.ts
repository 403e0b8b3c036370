import type { IncomingMessage, ServerResponse } from 'node:http';

/** Bytes and headers of one response about to be written. */
export interface Outgoing {
  status: number;
  body: string;
  contentType: string;
  headers: Record<string, string>;
}

const STATUS_TEXT: Record<number, string> = { 500: 'Server Error. Site administrators have been notified.' };

/** The plain-text 500 body and proxy HTML pages of spec §4. */
export function serverErrorBody(status: number): Outgoing {
  if (status === 500) return { status, body: STATUS_TEXT[500]!, contentType: 'text/plain', headers: {} };
  const title = { 502: '502 Bad Gateway', 503: '503 Service Temporarily Unavailable', 504: '504 Gateway Time-out' }[status] ?? `${status} Error`;
  return { status, body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`, contentType: 'text/html', headers: {} };
}

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Outgoing {
  return { status, body: status === 204 ? '' : JSON.stringify(body), contentType: 'application/json', headers };
}

/** Writes a complete response. */
export function send(res: ServerResponse, out: Outgoing): void {
  const body = Buffer.from(out.body);
  res.writeHead(out.status, { ...out.headers, ...(out.status === 204 ? {} : { 'Content-Type': out.contentType, 'Content-Length': String(body.length) }) });
  res.end(out.status === 204 ? undefined : body);
}

/** Sends a response whose body is cut short but correctly framed (a truncated JSON document). */
export function sendTruncated(res: ServerResponse, out: Outgoing): void {
  const body = Buffer.from(out.body);
  send(res, { ...out, body: body.subarray(0, Math.max(1, Math.floor(body.length / 2))).toString() });
}

/** Announces the full length, sends half of the body, then resets the connection. */
export function sendAndReset(res: ServerResponse, out: Outgoing): void {
  const body = Buffer.from(out.body);
  res.writeHead(out.status, { ...out.headers, 'Content-Type': out.contentType, 'Content-Length': String(body.length) });
  res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
}

/** Reads a request body (bounded) as text. */
export async function readBody(req: IncomingMessage, limit = 5_000_000): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
