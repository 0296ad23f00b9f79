// The standalone debug adapter (dist/debug-adapter.js): over stdio for nvim-dap
// and any other DAP client; with `--server=PORT` it serves one session per TCP
// connection instead (tests and benchmarks reuse one process). VS Code runs the
// same session inline (client/debug.ts).
import * as net from 'node:net';
import { loadScenario } from './load';
import { MigtraceSession } from './session';

const serverArg = process.argv.find((a) => a.startsWith('--server='));
if (serverArg) {
  const port = Number(serverArg.slice('--server='.length));
  const server = net.createServer((socket) => {
    socket.setNoDelay(true); // DAP is many small request/response pairs: Nagle would add ~40 ms to each
    socket.on('end', () => socket.destroy());
    socket.on('error', () => socket.destroy());
    const session = new MigtraceSession(loadScenario);
    session.setRunAsServer(true);
    session.start(socket, socket);
  });
  server.listen(port, '127.0.0.1', () => {
    const a = server.address();
    // the chosen port (useful with --server=0) on stderr, where a DAP client over stdio would not look
    process.stderr.write(`migtrace debug adapter listening on ${typeof a === 'object' && a ? a.port : port}\n`);
  });
} else {
  const session = new MigtraceSession(loadScenario);
  process.on('SIGTERM', () => session.shutdown());
  session.start(process.stdin, process.stdout);
}
