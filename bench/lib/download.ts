/**
 * Downloads one address to nowhere, counting bytes and lines, in its own process: a bench that
 * measures the server's memory keeps the client's buffers out of it.
 *   node --import tsx bench/lib/download.ts <port> <host> <path> <cookie header>
 * Prints {"status", "type", "bytes", "lines"} as JSON.
 */
import http from 'node:http';

const [port, host, path, cookie] = process.argv.slice(2);
http.get({ host: '127.0.0.1', port: Number(port), path, headers: { Host: host!, Cookie: cookie ?? '' } }, (res) => {
  let bytes = 0;
  let lines = 0;
  res.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
  });
  res.on('end', () => console.log(JSON.stringify({ status: res.statusCode, type: String(res.headers['content-type'] ?? ''), bytes, lines })));
}).on('error', (error) => {
  console.error(error.message);
  process.exit(1);
});
