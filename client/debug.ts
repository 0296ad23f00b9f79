// The trace debugger in VS Code: the debug adapter runs inline (no extra
// process), and F5 on a .mig file with no launch.json just works.
import * as vscode from 'vscode';
import { loadHeavy } from './chunks';

const TYPE = 'migtrace';
const PROFILES = ['6.1', '6.3-rc1', '6.12'];

export function activateDebugger(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory(TYPE, new InlineFactory()),
    vscode.debug.registerDebugConfigurationProvider(TYPE, new ConfigurationProvider()),
    vscode.debug.registerDebugConfigurationProvider(TYPE, new DynamicConfigurations(), vscode.DebugConfigurationProviderTriggerKind.Dynamic),
  );
}

class InlineFactory implements vscode.DebugAdapterDescriptorFactory {
  createDebugAdapterDescriptor(): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    // Loaded on the first debug session only (dist/client-heavy.js), so activation stays cheap.
    const { MigtraceSession, loadScenario } = loadHeavy();
    return new vscode.DebugAdapterInlineImplementation(new MigtraceSession(loadScenario) as unknown as vscode.DebugAdapter);
  }
}

function activeScenario(): vscode.TextDocument | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return doc && (doc.languageId === 'migscenario' || doc.fileName.endsWith('.mig')) ? doc : undefined;
}

class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.ProviderResult<vscode.DebugConfiguration> {
    // F5 with no launch.json arrives as an empty configuration.
    if (!config.type && !config.request && !config.name) {
      const doc = activeScenario();
      if (!doc) {
        void vscode.window.showInformationMessage('migtrace: open a .mig scenario to debug it.');
        return undefined;
      }
      config.type = TYPE;
      config.request = 'launch';
      config.name = 'Debug scenario';
      config.program = '${file}';
      config.stopOnEntry = true;
    }
    if (!config.program) {
      const doc = activeScenario();
      if (!doc) {
        void vscode.window.showErrorMessage("migtrace: the launch configuration has no 'program' and no .mig file is open.");
        return undefined;
      }
      config.program = doc.fileName;
    }
    if (config.kernel === undefined) config.defaultKernel = vscode.workspace.getConfiguration('migtrace').get<string>('kernel.defaultProfile');
    return config;
  }
}

class DynamicConfigurations implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.ProviderResult<vscode.DebugConfiguration[]> {
    const base = { type: TYPE, request: 'launch', program: '${file}', stopOnEntry: true };
    return [{ ...base, name: 'Debug scenario (kernel from the file)' }, ...PROFILES.map((k) => ({ ...base, name: `Debug scenario on kernel ${k}`, kernel: k }))];
  }
}
