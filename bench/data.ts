/**
 * Deterministic benchmark data: Apache "combined" access-log lines (~230 bytes
 * each) from a seeded generator, written once under bench/data/ and reused.
 */
import { closeSync, createWriteStream, existsSync, mkdirSync, openSync, readSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'data');

/** Mulberry32: tiny seeded PRNG, so every run benchmarks the same bytes. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const METHODS = ['GET', 'GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE', 'HEAD'];
const PATHS = ['/', '/index.html', '/api/v1/users', '/api/v1/orders/12345', '/static/js/app.min.js', '/static/css/site.css',
  '/images/logo.png', '/search?q=logpipe&page=2', '/login', '/account/settings', '/products/widget-3000', '/favicon.ico'];
const STATUS = [200, 200, 200, 200, 200, 304, 301, 404, 500, 403];
const REFERRERS = ['-', 'https://www.example.com/', 'https://www.google.com/search?q=widgets', 'https://news.example.org/article/42'];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'curl/8.5.0',
];
/** Public addresses spread over several networks so geoip does real lookups. */
const NETWORKS = ['81.2.69', '8.8.8', '1.1.1', '89.160.20', '216.160.83', '2.125.160', '175.16.199', '67.43.156', '202.196.224', '84.17.61'];

export function apacheLine(r: () => number, i: number): string {
  const ip = `${NETWORKS[Math.floor(r() * NETWORKS.length)]}.${1 + Math.floor(r() * 254)}`;
  const t = Date.UTC(2024, 0, 1) + i * 37 + Math.floor(r() * 1000);
  const d = new Date(t);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const ts = `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
  const method = METHODS[Math.floor(r() * METHODS.length)];
  const path = PATHS[Math.floor(r() * PATHS.length)];
  const status = STATUS[Math.floor(r() * STATUS.length)];
  const bytes = Math.floor(r() * 50_000);
  const ref = REFERRERS[Math.floor(r() * REFERRERS.length)];
  const ua = AGENTS[Math.floor(r() * AGENTS.length)];
  return `${ip} - - [${ts}] "${method} ${path} HTTP/1.1" ${status} ${bytes} "${ref}" "${ua}"`;
}

/** Path of an access log with `lines` lines, generated on first use. */
export function accessLog(lines: number): Promise<string> {
  const r = rng(42);
  return generated(`access-${lines}.log`, (i, written) => (i < lines ? apacheLine(r, i) : undefined));
}

const LEVELS = ['INFO', 'INFO', 'INFO', 'INFO', 'WARN', 'DEBUG', 'ERROR'];
const SERVICES = ['checkout', 'catalog', 'accounts', 'search'];

/**
 * A JSON application log line (~470 bytes: a structured logger's record around an access line),
 * the shape of most services' logs today; longer lines than the access log's.
 */
export function jsonAppLine(r: () => number, i: number): string {
  const hex = (digits: number): string => Array.from({ length: digits }, () => '0123456789abcdef'[Math.floor(r() * 16)]).join('');
  return JSON.stringify({
    '@timestamp': new Date(Date.UTC(2024, 0, 1) + i * 37).toISOString(),
    level: LEVELS[Math.floor(r() * LEVELS.length)],
    logger: 'com.example.web.RequestLogger',
    thread: `http-nio-8080-exec-${Math.floor(r() * 200)}`,
    message: apacheLine(r, i),
    trace_id: hex(32),
    span_id: hex(16),
    service: { name: SERVICES[Math.floor(r() * SERVICES.length)], version: '1.4.2' },
  });
}

/** Path of a JSON application log with `lines` lines, generated on first use. */
export function jsonAppLog(lines: number): Promise<string> {
  const r = rng(7);
  return generated(`app-json-${lines}.log`, (i) => (i < lines ? jsonAppLine(r, i) : undefined));
}

/**
 * `DATA_DIR/name`, written on first use from `next(i, bytesWritten)` until it returns undefined
 * (through a temp file, so an interrupted run never leaves a short file behind).
 */
async function generated(name: string, next: (i: number, written: number) => string | undefined): Promise<string> {
  const path = join(DATA_DIR, name);
  if (existsSync(path) && statSync(path).size > 0) return path;
  mkdirSync(DATA_DIR, { recursive: true });
  const out = createWriteStream(path + '.tmp');
  let written = 0;
  let buf = '';
  for (let i = 0, line = next(0, 0); line !== undefined; line = next(++i, written + buf.length)) {
    buf += line + '\n';
    if (buf.length > 1 << 20) {
      written += buf.length;
      if (!out.write(buf)) await new Promise<void>((res) => out.once('drain', () => res()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
  renameSync(path + '.tmp', path);
  return path;
}

/** An Apache *common* log line (~100 bytes): what the agent benchmark tails. */
export function commonLogLine(r: () => number, i: number): string {
  const combined = apacheLine(r, i);
  return combined.slice(0, combined.indexOf(' "', combined.indexOf('" ') + 2));
}

/**
 * Path of the `index`-th common-log file of about `mib` MiB (each file from its own seed, so the
 * files differ), generated on first use.
 */
export function commonLog(index: number, mib: number): Promise<string> {
  const r = rng(1000 + index);
  const target = mib * 1024 * 1024;
  return generated(`common-${index}-${mib}m.log`, (i, written) => (written < target ? commonLogLine(r, i) : undefined));
}

/**
 * Reads `files` once, untimed, so no run times a cold page cache: a file generated in an earlier
 * run (or before a reboot), or pushed out by a larger one generated since, would otherwise be read
 * from the disk by whichever run comes first — usually the baseline.
 */
export function warmPageCache(files: string[]): void {
  const buf = Buffer.allocUnsafe(1 << 20);
  for (const file of files) {
    const fd = openSync(file, 'r');
    try {
      while (readSync(fd, buf, 0, buf.length, null) > 0);
    } finally {
      closeSync(fd);
    }
  }
}
