/**
 * The beats input's main-thread half: a Lumberjack server whose windows become payloads. A
 * window is cut into payloads of at most batchSize × PAYLOAD_MAX_BATCHES events; each payload's
 * acknowledgement marks its events done in the window, and the server ACKs the window's highest
 * contiguous done event. A nack leaves the window unacknowledged: the Beat sends it again.
 */
import type { Logger } from '../../../core/logger.js';
import { PAYLOAD_TARGET_BYTES, type InputSink, type InputSource } from '../../api.js';
import { LumberjackServer, type ReceivedWindow } from '../../../protocols/lumberjack/server.js';
import type { ServerTls } from '../../../protocols/net/tls.js';
import { packDocuments, type BeatsPayload } from './payload.js';

export interface BeatsSourceSettings {
  host: string;
  port: number;
  tls: ServerTls | undefined;
  maxFrameBytes: number;
  inactivityTimeoutMs: number;
  keepaliveIntervalMs: number;
  /** Most events per payload. */
  maxEvents: number;
}

export function beatsSource(settings: BeatsSourceSettings, logger: Logger): InputSource {
  let server: LumberjackServer | undefined;
  let stopped = false;
  let wake: (() => void) | undefined;

  const handWindow = async (sink: InputSink, window: ReceivedWindow): Promise<void> => {
    const { documents, peer } = window;
    let from = 0;
    while (from < documents.length) {
      // Cut at maxEvents, and near the target size so a window of huge events is not one payload.
      let to = from;
      let bytes = 0;
      while (to < documents.length && to - from < settings.maxEvents && (bytes < PAYLOAD_TARGET_BYTES || to === from)) bytes += documents[to++]!.length;
      const packed = packDocuments(documents, from, to);
      const data: BeatsPayload = { ...packed, ip: peer.remoteAddress, tls: settings.tls !== undefined, ...(peer.certificate ? { peerSubject: peer.certificate.subject } : {}) };
      const start = from;
      const end = to;
      await sink.push(
        // The Beat sends no more on this connection until the window is acknowledged (or its
        // pipelining allows another): do not hold the window's tail back for a fuller batch.
        { data, transfer: [packed.bytes.buffer as ArrayBuffer, packed.ends.buffer as ArrayBuffer], events: end - start, bytes, endOfBurst: end === documents.length },
        { ack: () => window.acknowledge(start, end), nack: () => undefined },
      );
      from = to;
    }
  };

  return {
    async run(sink) {
      if (stopped) return;
      server = new LumberjackServer({
        host: settings.host,
        port: settings.port,
        ...(settings.tls ? { tls: settings.tls } : {}),
        maxFrameBytes: settings.maxFrameBytes,
        inactivityTimeoutMs: settings.inactivityTimeoutMs,
        keepaliveIntervalMs: settings.keepaliveIntervalMs,
        logger,
        onWindow: (window) => handWindow(sink, window),
      });
      const address = await server.listen();
      logger.info(`beats: listening on ${address.address}:${address.port}${settings.tls ? ' (TLS)' : ''}`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (stopped) resolve();
      });
      // Connections stop reading and close once their pending windows are acknowledged.
      await server.close(false);
    },
    stop() {
      stopped = true;
      wake?.();
    },
  };
}
