// The language server's process entry (bundled to dist/server.js). The transport
// comes from the command line: `--node-ipc` when VS Code starts it, `--stdio`
// for other editors.

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { createServer } from './server';

const connection = createConnection(ProposedFeatures.all);
createServer(connection);
connection.listen();
