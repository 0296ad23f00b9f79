// The standalone debug adapter over stdio (dist/debug-adapter.js): for nvim-dap and
// any other DAP client, and for the DebugClient tests. VS Code runs the same
// session inline (client/debug.ts).
import { loadScenario } from './load';
import { MigtraceSession } from './session';

const session = new MigtraceSession(loadScenario);
process.on('SIGTERM', () => session.shutdown());
session.start(process.stdin, process.stdout);
