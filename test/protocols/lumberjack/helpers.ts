/** Shared by the Lumberjack server/client tests: a server that records windows, raw sockets, logs. */
import { connect, type Socket } from 'node:net';
import { createLogger, type Logger } from '../../../src/core/logger.js';
import { FrameParser, type Frame } from '../../../src/protocols/lumberjack/frames.js';
import { LumberjackServer, type LumberjackServerOptions, type ReceivedWindow } from '../../../src/protocols/lumberjack/server.js';
import type { EventDocuments } from '../../../src/protocols/lumberjack/client.js';

export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger('debug', 'test', (line) => lines.push(line)), lines };
}

export interface RecordingServer {
  server: LumberjackServer;
  port: number;
  windows: ReceivedWindow[];
  /** Every event's JSON received, in arrival order. */
  documents(): string[];
  lines: string[];
}

/** A server on a free port; `onWindow` decides when windows are acknowledged (default: at once). */
export async function recordingServer(overrides: Partial<LumberjackServerOptions> = {}, onWindow?: (w: ReceivedWindow) => void | Promise<void>): Promise<RecordingServer> {
  const { logger, lines } = capturingLogger();
  const windows: ReceivedWindow[] = [];
  const server = new LumberjackServer({
    host: '127.0.0.1', port: 0, maxFrameBytes: 16 * 1024 * 1024, inactivityTimeoutMs: 60_000, keepaliveIntervalMs: 5000, logger,
    onWindow: (w) => {
      // The documents are views into the connection's buffers: keep copies.
      const kept = { ...w, documents: w.documents.map((d) => Buffer.from(d)) };
      windows.push(kept);
      if (onWindow) return onWindow(kept);
      w.acknowledge(0, w.documents.length);
    },
    ...overrides,
  });
  const { port } = await server.listen();
  return { server, port, windows, lines, documents: () => windows.flatMap((w) => w.documents.map((d) => Buffer.from(d).toString())) };
}

export function documentsOf(values: unknown[]): EventDocuments {
  const texts = values.map((v) => JSON.stringify(v));
  const bytes = Buffer.from(texts.join(''));
  let at = 0;
  return { bytes: new Uint8Array(bytes), ends: Uint32Array.from(texts.map((t) => (at += Buffer.byteLength(t)))) };
}

/** A raw client socket that collects the ACK frames it receives. */
export async function rawClient(port: number): Promise<{ socket: Socket; acks: number[]; closed: Promise<void> }> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const acks: number[] = [];
  const parser = new FrameParser({ maxFrameBytes: 64, accept: 'server-frames' });
  socket.on('data', (chunk: Buffer) => parser.push(chunk, (f: Frame) => f.type === 'ack' && acks.push(f.seq)));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, acks, closed };
}
