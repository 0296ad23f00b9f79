// vscode-languageclient, bundled apart as dist/client-lsp.js (scripts/build.mjs) so that
// dist/client.js stays small; languageClient.ts requires it when it starts the server.
export { LanguageClient, TransportKind, type ServerOptions } from 'vscode-languageclient/node';
