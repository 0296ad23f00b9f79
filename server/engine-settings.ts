// The settings the engine runs read from the client (workspace/configuration):
// the default kernel profile and whether inlay hints are shown. A client that
// does not answer gets the defaults.

import type { Connection } from 'vscode-languageserver';
import { DEFAULT_PROFILE, getProfile } from '../engine';

export interface EngineSettings {
  defaultProfile: string;
  inlayHints: boolean;
}

export async function engineSettings(connection: Connection): Promise<EngineSettings> {
  const out: EngineSettings = { defaultProfile: DEFAULT_PROFILE, inlayHints: true };
  try {
    const [profile, hints] = (await Promise.race([
      connection.workspace.getConfiguration([{ section: 'migtrace.kernel.defaultProfile' }, { section: 'migtrace.inlayHints.enabled' }]),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no answer')), 2000).unref()),
    ])) as unknown[];
    if (typeof profile === 'string' && getProfile(profile)) out.defaultProfile = profile;
    if (hints === false) out.inlayHints = false;
  } catch {
    // the defaults
  }
  return out;
}
