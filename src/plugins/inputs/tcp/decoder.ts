/**
 * The tcp input's worker half: decodes a chunk of one connection's lines with the codec and adds
 * where it came from, in Logstash's field names for the ECS mode (each only when the event does
 * not have it already):
 *
 * | | ecs disabled | ecs v1 / v8 |
 * |---|---|---|
 * | source name | host | [@metadata][input][tcp][source][name] |
 * | source ip | [@metadata][ip_address] | [@metadata][input][tcp][source][ip] |
 * | source port | port | [@metadata][input][tcp][source][port] |
 * | proxy ip / port (proxy_protocol) | proxy_host / proxy_port | [@metadata][input][tcp][proxy][ip] / [port] |
 * | client certificate subject | sslsubject | [@metadata][input][tcp][tls][client][subject] |
 */
import type { Event } from '../../../core/event.js';
import { fieldRef, type FieldRef } from '../../../core/fieldref.js';
import type { EcsCompatibility, InputDecoder, Codec } from '../../api.js';
import { decodeLineChunk, LINE_PIECE_BYTES, TRUNCATED_TAG } from '../../line-payloads.js';
import type { TcpPayload, TcpPeer } from './payload.js';

interface PeerFields<T> {
  name: T;
  ip: T;
  port: T;
  proxyIp: T;
  proxyPort: T;
  subject: T;
}

const LEGACY: PeerFields<string> = { name: 'host', ip: '[@metadata][ip_address]', port: 'port', proxyIp: 'proxy_host', proxyPort: 'proxy_port', subject: 'sslsubject' };
const ECS: PeerFields<string> = {
  name: '[@metadata][input][tcp][source][name]',
  ip: '[@metadata][input][tcp][source][ip]',
  port: '[@metadata][input][tcp][source][port]',
  proxyIp: '[@metadata][input][tcp][proxy][ip]',
  proxyPort: '[@metadata][input][tcp][proxy][port]',
  subject: '[@metadata][input][tcp][tls][client][subject]',
};

/** `pieceBytes`: how line payloads are decoded for this codec (line-payloads.ts linePieceBytes). */
export function tcpDecoder(codec: Codec, ecs: EcsCompatibility, pieceBytes = LINE_PIECE_BYTES): InputDecoder {
  const names = ecs === 'disabled' ? LEGACY : ECS;
  // Compiled once: per event, each field costs a property walk, not a reference lookup.
  const fields: PeerFields<FieldRef> = {
    name: fieldRef(names.name), ip: fieldRef(names.ip), port: fieldRef(names.port),
    proxyIp: fieldRef(names.proxyIp), proxyPort: fieldRef(names.proxyPort), subject: fieldRef(names.subject),
  };
  // With ECS names all three peer fields are in @metadata: an event the codec made without it
  // (nearly every one) gets them as one literal tree, in the order the walks would add them. The
  // walks, creating the levels one property at a time, cost ~0.12 µs more per event. (With ecs
  // disabled two of the fields are at the top level, and a literal for the third was no faster.)
  const seedMetadata = ecs !== 'disabled';
  // None of the peer fields is @timestamp: each reference's own walk, without Event's check for it.
  const decorate = (event: Event, peer: TcpPeer, truncated: boolean): void => {
    if (seedMetadata && event.metadata === undefined) {
      event.metadata = { input: { tcp: { source: { name: peer.name, ip: peer.ip, port: peer.port } } } };
    } else {
      fields.name.setIfMissing(event, peer.name);
      fields.ip.setIfMissing(event, peer.ip);
      fields.port.setIfMissing(event, peer.port);
    }
    if (peer.proxyIp !== undefined) {
      fields.proxyIp.setIfMissing(event, peer.proxyIp);
      fields.proxyPort.setIfMissing(event, peer.proxyPort);
    }
    if (peer.subject !== undefined) fields.subject.setIfMissing(event, peer.subject);
    if (truncated) event.tag(TRUNCATED_TAG);
  };
  const binary = codec.binary;
  return {
    decode(data, emit) {
      const { bytes, truncated, peer, ends } = data as TcpPayload;
      if (binary && ends) {
        let start = 0;
        for (const end of ends) {
          binary.decodeBytes(bytes.subarray(start, end), (event) => {
            decorate(event, peer, false);
            emit(event);
          });
          start = end;
        }
        return;
      }
      // Invalid UTF-8 becomes U+FFFD; the line is kept.
      decodeLineChunk(bytes, truncated, (lines, cut) => {
        if (lines.endsWith('\n')) lines = lines.slice(0, -1);
        codec.decode(lines, (event) => {
          decorate(event, peer, cut);
          emit(event);
        });
      }, pieceBytes);
    },
  };
}
