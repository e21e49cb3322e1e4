// Fails (exit 1) when a server the integration tests need is unreachable.
import { connect } from 'node:net';

const SERVICES = [
  { name: 'Redis', host: '127.0.0.1', port: 6379 },
  { name: 'MariaDB', host: '127.0.0.1', port: 3306 },
  { name: 'PostgreSQL', host: '127.0.0.1', port: 5432 },
  { name: 'RabbitMQ', host: '127.0.0.1', port: 5672 },
];

const reachable = ({ host, port }) =>
  new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3000 });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });

let missing = 0;
for (const s of SERVICES) {
  const ok = await reachable(s);
  console.log(`${ok ? 'ok     ' : 'MISSING'} ${s.name} ${s.host}:${s.port}`);
  if (!ok) missing++;
}
if (missing > 0) {
  console.error(`${missing} service(s) unreachable: integration tests cannot run.`);
  process.exit(1);
}
