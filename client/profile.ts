// What the status bar says about the kernel profile. Pure (no vscode import) so
// it is testable and cheap to load at activation.

/** The `kernel <profile>` line of a scenario, if any: it overrides the default setting for that file. */
export function profileInText(text: string): string | undefined {
  // Only the first 200 lines: the header sits at the top, and activation must stay cheap on huge files.
  const lines = text.split(/\r\n|\r|\n/, 200);
  for (const line of lines) {
    const m = /^\s*kernel\s+([^\s#]+)/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

export interface ProfileLabel {
  text: string;
  tooltip: string;
}

/** The status bar label: the file's own profile wins over the default setting, and says so. */
export function profileLabel(defaultProfile: string, fileProfile: string | undefined): ProfileLabel {
  if (fileProfile && fileProfile !== defaultProfile) {
    return {
      text: `$(chip) Linux ${fileProfile}`,
      tooltip: `This scenario runs on kernel profile ${fileProfile} (its \`kernel\` line). The default for scenarios without one is ${defaultProfile}; click to change it.`,
    };
  }
  return {
    text: `$(chip) Linux ${defaultProfile}`,
    tooltip: `Kernel profile ${defaultProfile} (setting migtrace.kernel.defaultProfile). Click to choose another.`,
  };
}
