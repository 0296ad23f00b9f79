// What the extension needs to run the debugger inline.
export { MigtraceSession, type LaunchArgs, type Loader } from './session';
export { loadScenario } from './load';
