// Reading a .vsix (a zip) and checking it against the manifest: every file the
// manifest names must be inside, and nothing a user does not need.
import { open, type Entry, type ZipFile } from 'yauzl';

/** Every entry of a zip file with its uncompressed content, in archive order. */
export function readZip(path: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    open(path, { lazyEntries: true }, (err: Error | null, zip?: ZipFile) => {
      if (err || !zip) return reject(err ?? new Error(`cannot open ${path}`));
      const files = new Map<string, Buffer>();
      zip.on('entry', (e: Entry) => {
        zip.openReadStream(e, (err2: Error | null, stream?: NodeJS.ReadableStream) => {
          if (err2 || !stream) return reject(err2 ?? new Error(`cannot read ${e.fileName} in ${path}`));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            files.set(e.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(files));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

export interface ZipEntrySize {
  name: string;
  size: number; // uncompressed bytes
  compressed: number;
}

/** Entry sizes of a zip file, in archive order. */
export function zipEntrySizes(path: string): Promise<ZipEntrySize[]> {
  return new Promise((resolve, reject) => {
    open(path, { lazyEntries: true }, (err: Error | null, zip?: ZipFile) => {
      if (err || !zip) return reject(err ?? new Error(`cannot open ${path}`));
      const out: ZipEntrySize[] = [];
      zip.on('entry', (e: Entry) => {
        out.push({ name: e.fileName, size: e.uncompressedSize, compressed: e.compressedSize });
        zip.readEntry();
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

// Manifest keys whose string values are files of the extension: grammars[].path,
// snippets[].path, languages[].configuration, icons (light/dark/icon/fontPath),
// walkthrough media (image/markdown/svg), debuggers[].program...
const FILE_KEYS = new Set(['path', 'configuration', 'icon', 'light', 'dark', 'fontPath', 'image', 'markdown', 'svg', 'program']);
// Launch configurations the debugger offers to users: their `program` is the
// user's scenario (`${file}`), not a file of the extension.
const USER_CONFIG_KEYS = new Set(['initialConfigurations', 'configurationSnippets', 'configurationAttributes']);

/** Files named by package.json: main/browser/icon at the top, and every file-valued key under `contributes`. */
export function referencedPaths(manifest: Record<string, unknown>): string[] {
  const found = new Set<string>();
  const add = (v: unknown) => {
    // `$(codicon)` references and URLs are not files of the package.
    if (typeof v === 'string' && v && !v.startsWith('$(') && !/^[a-z]+:\/\//i.test(v)) found.add(normalise(v));
  };
  for (const k of ['main', 'browser', 'icon']) add(manifest[k]);
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (USER_CONFIG_KEYS.has(k)) continue;
        if (FILE_KEYS.has(k) && typeof v === 'string') add(v);
        else walk(v);
      }
    }
  };
  walk(manifest.contributes);
  return [...found].sort();
}

/** `./dist/client.js` → `dist/client.js`; `main` may also omit the `.js`. */
function normalise(p: string): string {
  return p.replace(/^\.\//, '').replace(/\\/g, '/');
}

/** The archive path of an extension file, as vsce stores it. */
export function inVsix(entries: string[], file: string): boolean {
  const want = `extension/${file}`;
  return entries.includes(want) || entries.includes(`${want}.js`);
}

// What a user needs, and only that. vsce renames README.md and CHANGELOG.md to
// lower case and LICENSE to LICENSE.txt, and adds its two metadata files.
const ALLOWED: RegExp[] = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/package\.json$/,
  /^extension\/readme\.md$/,
  /^extension\/changelog\.md$/,
  /^extension\/LICENSE\.txt$/,
  /^extension\/language-configuration\.json$/,
  /^extension\/dist\/[^/]+\.js$/,
  /^extension\/syntaxes\/[^/]+\.tmLanguage\.json$/,
  /^extension\/snippets\/[^/]+\.json$/,
  /^extension\/media\/.+\.(png|svg|md|gif|woff2?)$/,
];

/** Entries that no rule allows (sources, maps, tests, node_modules...), plus any `examples/` when `allowExamples` is false. */
export function unexpectedEntries(entries: string[], allowExamples = false): string[] {
  return entries.filter((e) => {
    if (e.endsWith('/')) return false; // directory records, if any
    if (allowExamples && /^extension\/examples\/[^]+\.mig$/.test(e)) return false;
    return !ALLOWED.some((r) => r.test(e));
  });
}
