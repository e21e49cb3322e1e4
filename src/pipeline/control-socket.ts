/**
 * The pipeline's local control socket: a unix socket at
 * `path.data/pipelines/<pipeline id>/control.sock`, served while the pipeline runs, until a
 * monitoring API exists. One request per connection, a JSON line:
 *
 *     {"tap": "<plugin id>", "limit": 10, "sample": 0.1}
 *
 * answered by `{"ok": true, "plugin": "<id>"}` (or `{"error": "..."}`), then one JSON event per
 * line until the limit is reached (the server then closes) or the client hangs up. A client that
 * reads too slowly loses events (counted in the closing line) rather than growing our memory.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import type { Logger } from '../core/logger.js';
import type { TapHub } from './tap.js';

/** Above this many bytes waiting in a client's socket, tapped events are dropped for it. */
const MAX_BUFFERED = 1024 * 1024;
const MAX_REQUEST = 4096;

export function controlSocketPath(dataDir: string, pipelineId: string): string {
  return join(dataDir, 'pipelines', pipelineId, 'control.sock');
}

export interface TapRequest {
  tap: string;
  limit?: number;
  sample?: number;
}

export class ControlServer {
  private server: Server | undefined;
  private readonly clients = new Set<Socket>();

  constructor(private readonly path: string, private readonly hub: TapHub, private readonly logger: Logger) {}

  /** Starts serving; a failure (path too long for a unix socket, no permission) is logged, not fatal. */
  async start(): Promise<void> {
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      // path.data is locked by this process (data-dir.ts): a socket file left here is stale.
      rmSync(this.path, { force: true });
    } catch (err) {
      this.logger.warn('control socket unavailable: logpipe tap will not reach this pipeline', { path: this.path, error: (err as Error).message });
      return;
    }
    const server = createServer((socket) => this.serve(socket));
    await new Promise<void>((resolve) => {
      server.once('error', (err) => {
        this.logger.warn('control socket unavailable: logpipe tap will not reach this pipeline', { path: this.path, error: err.message });
        resolve();
      });
      server.listen(this.path, () => {
        this.server = server;
        resolve();
      });
    });
    this.server?.unref();
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.end();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(this.path, { force: true });
  }

  private serve(socket: Socket): void {
    this.clients.add(socket);
    socket.on('error', () => {});
    let request = '';
    const onData = (chunk: Buffer): void => {
      request += chunk.toString('utf8');
      const nl = request.indexOf('\n');
      if (nl < 0) {
        if (request.length > MAX_REQUEST) this.refuse(socket, 'request too long');
        return;
      }
      socket.off('data', onData);
      this.handle(socket, request.slice(0, nl));
    };
    socket.on('data', onData);
    socket.on('close', () => this.clients.delete(socket));
  }

  private refuse(socket: Socket, error: string): void {
    socket.end(JSON.stringify({ error }) + '\n');
  }

  private handle(socket: Socket, line: string): void {
    let req: TapRequest;
    try {
      req = JSON.parse(line) as TapRequest;
    } catch {
      return this.refuse(socket, 'a request is one JSON line: {"tap": "<plugin id>", "limit": N, "sample": RATE}');
    }
    if (typeof req.tap !== 'string') return this.refuse(socket, 'unknown request: expected {"tap": "<plugin id>"}');
    const slot = this.hub.slotOf(req.tap);
    if (slot === undefined) return this.refuse(socket, `no plugin with id "${req.tap}" in this pipeline (plugins: ${this.hub.pluginIds.join(', ')})`);
    const limit = typeof req.limit === 'number' && req.limit > 0 ? Math.floor(req.limit) : Infinity;
    const sample = typeof req.sample === 'number' && req.sample > 0 && req.sample <= 1 ? req.sample : 1;
    let sent = 0;
    let dropped = 0;
    let open = true;
    const finish = (): void => {
      if (!open) return;
      open = false;
      detach();
      socket.end(JSON.stringify({ end: true, sent, dropped }) + '\n');
    };
    const detach = this.hub.attach(slot, {
      deliver: (json) => {
        if (!open) return false;
        if (sample < 1 && Math.random() >= sample) return true;
        if (socket.writableLength > MAX_BUFFERED) {
          dropped++;
          return true;
        }
        socket.write(`{"event":${json}}\n`);
        if (++sent >= limit) {
          finish();
          return false;
        }
        return true;
      },
    });
    socket.on('close', () => {
      open = false;
      detach();
    });
    socket.write(JSON.stringify({ ok: true, plugin: req.tap }) + '\n');
    this.logger.info('tap attached', { plugin: req.tap, limit: Number.isFinite(limit) ? limit : 'none', sample });
  }
}
