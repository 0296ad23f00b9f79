// Documentation text for a word of the language, from the scenario layer's DOCS table.
// (Temporary until scenario/docs.ts lands.)

export function docDetail(_word: string): string | undefined {
  return undefined;
}

export function docMarkdown(_word: string): string | undefined {
  return undefined;
}
