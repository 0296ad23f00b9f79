// A small argument parser: positional arguments, `--opt value` / `--opt=value`
// options (repeatable), and boolean flags. Unknown options are errors.

export interface ParsedArgs {
  positional: string[];
  options: Map<string, string[]>;
  flags: Set<string>;
}

export function parseArgs(argv: string[], spec: { options: string[]; flags: string[] }): ParsedArgs | { error: string } {
  const out: ParsedArgs = { positional: [], options: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      out.positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = (eq >= 0 ? a.slice(0, eq) : a).replace(/^--?/, '');
    if (spec.flags.includes(name)) {
      if (eq >= 0) return { error: `option --${name} takes no value` };
      out.flags.add(name);
      continue;
    }
    if (!spec.options.includes(name)) return { error: `unknown option ${a}` };
    const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (v === undefined || v === '') return { error: `option --${name} needs a value` };
    const l = out.options.get(name) ?? [];
    l.push(v);
    out.options.set(name, l);
  }
  return out;
}

export function one(a: ParsedArgs, name: string): string | undefined {
  const l = a.options.get(name);
  return l ? l[l.length - 1] : undefined;
}
