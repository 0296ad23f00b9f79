// Prints a TCP port free on 127.0.0.1: the one asked for (argv[2]) when nobody
// listens there, else one the kernel picks. Used by scripts/start.sh.
import { createServer } from 'node:net';

function tryListen(port) {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(undefined));
    srv.listen(port, '127.0.0.1', () => {
      const got = srv.address().port;
      srv.close(() => resolve(got));
    });
  });
}

const wanted = Number(process.argv[2] ?? 0);
if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) {
  console.error(`free-port: "${process.argv[2]}" is not a TCP port number (0-65535)`);
  process.exit(2);
}
const port = (await tryListen(wanted)) ?? (await tryListen(0));
if (port === undefined) {
  console.error('free-port: could not find a free port on 127.0.0.1');
  process.exit(1);
}
console.log(port);
