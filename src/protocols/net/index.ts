/**
 * The socket layer every network plugin shares (tcp, udp, syslog, gelf, http inputs; tcp, udp
 * outputs). It is free of plugin, pipeline and framing knowledge: a plugin gives it a handler
 * and decides what bytes mean.
 *
 * * tls.ts          TLS on a listener (client authentication none|optional|required), listen/close helpers
 * * tcp-listener.ts a TCP/TLS listener: many concurrent connections, each read by
 * * tcp-connection.ts  one connection: PROXY v1/v2 header, keep-alive, backpressure (the socket is
 *                   paused while the handler's promise is pending: TCP flow control, no unbounded
 *                   buffering), one end() per connection, clean stop
 * * dial.ts         connecting out (TCP or TLS) with a timeout
 * * udp-receiver.ts a UDP socket with a bounded queue: a datagram that finds it full is dropped
 *                   and counted (the loss model), SO_RCVBUF, truncation at a size
 * * proxy-protocol.ts  the PROXY protocol v1 and v2 header parser (and encoders for senders/tests)
 *
 * Option parsing for TLS (ssl_* names, current and old) lives in plugins/net/tls-options.ts, and
 * cutting a connection's bytes into line payloads in plugins/net/line-stream.ts.
 */
export { TcpListener, type TcpListenerOptions } from './tcp-listener.js';
export { StreamConnection, type ConnectionHandler, type ConnectionInfo, type ConnectionSettings } from './tcp-connection.js';
export { UdpReceiver, type Datagram, type UdpFigures, type UdpReceiverOptions } from './udp-receiver.js';
export { dial, type DialOptions } from './dial.js';
export { createStreamServer, type ClientAuthentication, type PeerCertificate, type ServerTls } from './tls.js';
export { encodeProxyV1, encodeProxyV2, parseProxyHeader, type ProxiedAddresses, type ProxyHeaderResult } from './proxy-protocol.js';
