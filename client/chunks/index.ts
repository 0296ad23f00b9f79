// Loaders of the client's separately bundled chunks. Under tsx (tests) these requires load the
// TypeScript modules beside this file; in dist/client.js the build rewrites them to ./client-<name>.js.
/* eslint-disable @typescript-eslint/no-require-imports */

export type Heavy = typeof import('./heavy');
export type Lsp = typeof import('./lsp');

export const loadHeavy = (): Heavy => require('./heavy') as Heavy;
export const loadLsp = (): Lsp => require('./lsp') as Lsp;
