// What most editor sessions never need: the inline debug adapter and the trace timeline,
// with the scenario language and the engine they run. Bundled apart as dist/client-heavy.js
// (scripts/build.mjs) and required on first use, so activation does not load it.
export { MigtraceSession, loadScenario } from '../../debug-adapter';
export { analyze } from '../../scenario';
export { run } from '../../engine';
export { buildTimelineModel } from '../timeline/model';
export { toWire } from '../timeline/wire';
