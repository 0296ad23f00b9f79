// The timeline webview's page: a strict CSP (only our bundled script, by
// nonce), theme colours from the --vscode-* variables VS Code sets on the page.

import { randomBytes } from 'node:crypto';

export function timelineHtml(scriptUri: string, cspSource: string): string {
  const nonce = randomBytes(16).toString('base64');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>migtrace timeline</title>
<style nonce="${nonce}">
  :root {
    --row-h: 22px; --cell-w: 84px; --label-w: 110px; --end-w: 170px;
    --o-unmap: var(--vscode-charts-blue, #3794ff);
    --o-success: var(--vscode-charts-green, #89d185);
    --o-eagain: var(--vscode-charts-orange, #d18616);
    --o-ebusy: var(--vscode-charts-yellow, #cca700);
    --o-enomem: var(--vscode-charts-red, #f14c4c);
    --o-split: var(--vscode-charts-purple, #b180d7);
    --o-undo: var(--vscode-charts-lines, #808080);
    --o-other: var(--vscode-errorForeground, #f48771);
  }
  body { margin: 0; padding: 0 12px; color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
  h1 { font-size: 1.1em; font-weight: 600; margin: 10px 0 4px; }
  #hint { color: var(--vscode-descriptionForeground); margin: 0 0 6px; }
  #legend { display: flex; flex-wrap: wrap; gap: 4px 12px; margin: 0 0 8px; padding: 0; list-style: none; }
  #legend li { display: flex; align-items: center; gap: 4px; }
  .sw { display: inline-block; width: 12px; height: 12px; border-radius: 2px; }
  #grid { position: relative; overflow: auto; height: calc(100vh - 120px); border: 1px solid var(--vscode-panel-border, transparent); outline: none; }
  #grid:focus-visible, #grid:focus { border-color: var(--vscode-focusBorder); }
  #head, .row { display: flex; height: var(--row-h); line-height: var(--row-h); white-space: nowrap; }
  #head { position: sticky; top: 0; z-index: 2; background: var(--vscode-editorGroupHeader-tabsBackground, var(--vscode-editor-background)); font-weight: 600; }
  #spacer { position: relative; }
  #rows { position: absolute; left: 0; min-width: 100%; width: max-content; }
  #head, .row { width: max-content; min-width: 100%; }
  .lab { position: sticky; left: 0; z-index: 1; width: var(--label-w); min-width: var(--label-w); padding: 0 6px; overflow: hidden; text-overflow: ellipsis; background: var(--vscode-editor-background); font-family: var(--vscode-editor-font-family); }
  .c { width: var(--cell-w); min-width: var(--cell-w); box-sizing: border-box; border: 1px solid var(--vscode-editor-background); text-align: center; font-size: 0.85em; overflow: hidden; cursor: pointer; color: var(--vscode-editor-background); }
  #head .c { color: var(--vscode-foreground); cursor: default; font-size: 0.8em; }
  .c.o0 { background: transparent; color: var(--vscode-descriptionForeground); }
  .c.f { outline: 2px solid var(--vscode-focusBorder); outline-offset: -2px; }
  .end { width: var(--end-w); min-width: var(--end-w); padding: 0 8px; color: var(--vscode-descriptionForeground); overflow: hidden; text-overflow: ellipsis; font-family: var(--vscode-editor-font-family); }
  .row:hover .lab { color: var(--vscode-list-hoverForeground, inherit); }
  #empty { color: var(--vscode-descriptionForeground); padding: 12px 0; }
</style>
</head>
<body>
<h1 id="title">migtrace timeline</h1>
<p id="hint"></p>
<ul id="legend" aria-label="Legend"></ul>
<div id="grid" role="grid" tabindex="0" aria-label="Trace timeline: one row per folio, one column per pass and phase">
  <div id="head" role="row"></div>
  <div id="spacer"><div id="rows" role="rowgroup"></div></div>
</div>
<script nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}
