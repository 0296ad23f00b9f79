// The status bar item showing the kernel profile, and the command that picks another.

import * as vscode from 'vscode';
import { profileInText, profileLabel } from './profile';

export const PICK_PROFILE_COMMAND = 'migtrace.pickKernelProfile';
const SETTING_SECTION = 'migtrace.kernel';
const SETTING_KEY = 'defaultProfile';

/** Profile names come from the manifest's setting enum, so the list lives in one place. */
function knownProfiles(context: vscode.ExtensionContext): { names: string[]; descriptions: string[] } {
  const props = context.extension.packageJSON?.contributes?.configuration?.properties ?? {};
  const setting = props[`${SETTING_SECTION}.${SETTING_KEY}`] ?? {};
  return { names: setting.enum ?? [], descriptions: setting.enumDescriptions ?? [] };
}

function defaultProfile(): string {
  return vscode.workspace.getConfiguration(SETTING_SECTION).get<string>(SETTING_KEY, '6.12');
}

export function activateStatusBar(context: vscode.ExtensionContext): void {
  const item = vscode.window.createStatusBarItem('migtrace.kernelProfile', vscode.StatusBarAlignment.Right, 100);
  item.name = 'migtrace kernel profile';
  item.command = PICK_PROFILE_COMMAND;
  context.subscriptions.push(item);

  const refresh = (): void => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'migscenario') {
      item.hide();
      return;
    }
    const label = profileLabel(defaultProfile(), profileInText(editor.document.getText()));
    item.text = label.text;
    item.tooltip = label.tooltip;
    item.show();
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(PICK_PROFILE_COMMAND, async () => {
      const { names, descriptions } = knownProfiles(context);
      const current = defaultProfile();
      const picked = await vscode.window.showQuickPick(
        names.map((name, i) => ({ label: name, detail: descriptions[i], description: name === current ? 'current default' : undefined })),
        { title: 'Default kernel profile for scenarios without a `kernel` line', placeHolder: current },
      );
      if (!picked) return;
      // Workspace folder setting when there is a folder, so one project can pin its kernel; global otherwise.
      const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
      await vscode.workspace.getConfiguration(SETTING_SECTION).update(SETTING_KEY, picked.label, target);
    }),
    vscode.window.onDidChangeActiveTextEditor(refresh),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) refresh();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SETTING_SECTION}.${SETTING_KEY}`)) refresh();
    }),
  );
  refresh();
}
