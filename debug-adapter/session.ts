// The debug session: DAP requests over a recorded trace. The engine has already
// run the scenario to the end; this class only moves a cursor (`pos`) over the
// events and shows the state there, so stepping back is as exact as stepping forward.
import * as path from 'node:path';
import { DebugSession, InitializedEvent, OutputEvent, Source, StoppedEvent, TerminatedEvent, Thread } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { makeBreakpoint, type Breakpoint } from './breakpoints';
import { describeEvent, eventLine } from './describe';
import { EventEnv } from './env';
import { evaluate, show } from './expr';
import { EVENT_FILTERS } from './filters';
import { lineBreakpointTarget } from './lines';
import { nextTarget, search, stepOutTarget, type Goal, type Stop } from './runner';
import { TraceIndex } from './trace-index';
import type { LoadedRun, StateView } from './trace-view';
import { StopVariables } from './variables';

export interface LaunchArgs extends DebugProtocol.LaunchRequestArguments {
  program?: string;
  kernel?: string;
  /** profile for a file without a `kernel` line (the extension passes its setting) */
  defaultKernel?: string;
  stopOnEntry?: boolean;
  /** check the engine's invariants after every event (default true) */
  invariants?: boolean;
  maxEvents?: number;
}

/** Turns launch arguments into a recorded run, or a message saying why not (already written to `out`). */
export type Loader = (args: LaunchArgs, out: (text: string, category: 'console' | 'stderr' | 'stdout') => void) => Promise<LoadedRun | { failed: string }>;

const EMPTY = new Int32Array(0);

export class MigtraceSession extends DebugSession {
  private run: LoadedRun | null = null;
  private ix: TraceIndex | null = null;
  private program = '';
  private pos = 0;
  private stopped = false;
  private running: { cancel: boolean } | null = null;
  private configDone!: () => void;
  private configured = new Promise<void>((r) => (this.configDone = r));
  private lineBps: Breakpoint[] = [];
  private fnBps: Breakpoint[] = [];
  private excBps: Breakpoint[] = [];
  private dataBps: Breakpoint[] = [];
  private vars: StopVariables | null = null;
  private prevShown = new Map<string, string>();
  private stateCache: { i: number; s: StateView } | null = null;
  private lastStop: Stop | null = null;

  constructor(private readonly load: Loader) {
    super();
    this.setDebuggerLinesStartAt1(false);
    this.setDebuggerColumnsStartAt1(false);
  }

  // ------------------------------------------------------------------ setup

  protected override dispatchRequest(request: DebugProtocol.Request): void {
    // DAP's default pathFormat is 'path'; the base class refuses clients that leave it out.
    if (request.command === 'initialize') request.arguments = { pathFormat: 'path', ...(request.arguments ?? {}) };
    super.dispatchRequest(request);
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsFunctionBreakpoints: true,
      supportsDataBreakpoints: true,
      supportsExceptionFilterOptions: true,
      supportsExceptionInfoRequest: true,
      exceptionBreakpointFilters: EVENT_FILTERS,
      supportsStepBack: true,
      supportsRestartFrame: true,
      supportsGotoTargetsRequest: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: false,
      supportsTerminateRequest: true,
      supportsDelayedStackTraceLoading: true,
      supportsValueFormattingOptions: false,
      supportsSingleThreadExecutionRequests: false,
    };
    this.sendResponse(response);
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configDone();
    this.sendResponse(response);
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, given: LaunchArgs | undefined): Promise<void> {
    const args: LaunchArgs = given && typeof given === 'object' ? given : {};
    const out = (text: string, category: 'console' | 'stderr' | 'stdout'): void => this.sendEvent(new OutputEvent(text.endsWith('\n') ? text : text + '\n', category));
    let loaded: LoadedRun | { failed: string };
    try {
      loaded = await this.load(args, out);
    } catch (e) {
      loaded = { failed: `migtrace: the run failed unexpectedly: ${e instanceof Error ? e.message : String(e)}` };
      out(loaded.failed, 'stderr');
    }
    if ('failed' in loaded) {
      this.sendErrorResponse(response, { id: 1001, format: loaded.failed.replace(/[{}]/g, ''), showUser: true });
      this.sendEvent(new TerminatedEvent());
      return;
    }
    if (loaded.trace.length === 0) {
      const msg = 'The scenario ran no kernel code (no operation produced an event): nothing to debug.';
      out(msg, 'console');
      this.sendErrorResponse(response, { id: 1002, format: msg, showUser: true });
      this.sendEvent(new TerminatedEvent());
      return;
    }
    this.run = loaded;
    this.program = path.resolve(args.program ?? '');
    this.ix = new TraceIndex(loaded.trace);
    out(`migtrace: ${path.basename(this.program)} on kernel ${loaded.profile}: ${loaded.trace.length.toLocaleString('en-US')} events.`, 'console');
    // Ready for breakpoints now that the trace is known: lines can be verified against real events.
    this.sendEvent(new InitializedEvent());
    await Promise.race([this.configured, new Promise((r) => setTimeout(r, 5000))]);
    this.sendResponse(response);
    if (args.stopOnEntry) this.stopAt({ index: 0, reason: 'entry', description: `Paused on entry: ${describeEvent(loaded.trace, 0)}`, hitBreakpointIds: [] });
    else void this.go(-1, true, this.endGoal(true));
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    if (this.running) this.running.cancel = true;
    this.sendResponse(response);
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    if (this.running) this.running.cancel = true;
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  // ------------------------------------------------------------------ breakpoints

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const run = this.run;
    const ix = this.ix;
    const wanted = args.breakpoints ?? [];
    const samePath = run && args.source.path && path.resolve(args.source.path) === this.program;
    if (!run || !ix || !samePath) {
      // Breakpoints of another file (or before launch) cannot mean anything in this run.
      response.body = { breakpoints: wanted.map((b) => ({ verified: false, line: b.line, message: run ? `Not the running scenario (${path.basename(this.program)}).` : 'No scenario is running.' })) };
      if (samePath || !run) this.lineBps = [];
      this.sendResponse(response);
      return;
    }
    const bps: Breakpoint[] = [];
    const out: DebugProtocol.Breakpoint[] = [];
    for (const b of wanted) {
      const line = this.convertClientLineToDebugger(b.line);
      const t = lineBreakpointTarget(run, ix, line);
      if (!t.events.length) {
        out.push({ verified: false, line: b.line, message: t.message });
        continue;
      }
      const { bp, error } = makeBreakpoint('line', `line ${t.line + 1}`, t.events, b);
      bps.push(bp);
      out.push({ id: bp.id, verified: !t.moved && !error, line: this.convertDebuggerLineToClient(t.line), source: this.source(), message: error ?? t.message });
    }
    this.lineBps = bps;
    response.body = { breakpoints: out };
    this.sendResponse(response);
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    const ix = this.ix;
    const bps: Breakpoint[] = [];
    const out: DebugProtocol.Breakpoint[] = [];
    for (const b of args.breakpoints) {
      const events = ix?.entriesOf(b.name) ?? EMPTY;
      if (!events.length) {
        out.push({ verified: false, message: ix ? `No event of this run happens inside ${b.name}${this.suggestFn(b.name)}.` : 'No scenario is running.' });
        continue;
      }
      const { bp, error } = makeBreakpoint('function', b.name, events, b);
      bps.push(bp);
      out.push({ id: bp.id, verified: !error, message: error });
    }
    this.fnBps = bps;
    response.body = { breakpoints: out };
    this.sendResponse(response);
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    const wanted: DebugProtocol.ExceptionFilterOptions[] = [...(args.filterOptions ?? []), ...args.filters.map((f) => ({ filterId: f }))];
    const bps: Breakpoint[] = [];
    const out: DebugProtocol.Breakpoint[] = [];
    for (const w of wanted) {
      const events = this.filterEvents(w.filterId);
      const { bp, error } = makeBreakpoint('exception', w.filterId, events, { condition: w.condition });
      bps.push(bp);
      out.push({ id: bp.id, verified: !error, message: error ?? (events.length ? undefined : `No ${w.filterId} event in this run.`) });
    }
    this.excBps = bps;
    response.body = { breakpoints: out };
    this.sendResponse(response);
  }

  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    let expr: string | undefined = args.name;
    if (args.variablesReference && this.vars) {
      expr = this.vars.variables(args.variablesReference).find((v) => v.name === args.name)?.evaluateName;
    }
    const env = this.run && expr ? this.envAt(this.pos, this.depthOf(args.frameId)) : null;
    const r = env && expr ? evaluate(expr, env) : null;
    if (!r || !r.ok || (r.value !== null && typeof r.value === 'object')) {
      response.body = { dataId: null, description: expr ? `${expr} is not a value that can be watched${r && !r.ok ? `: ${r.error}` : ''}` : 'Only counters, locals and folio fields can be watched.' };
    } else {
      response.body = { dataId: expr!, description: `${expr} (now ${show(r.value, env!)})`, accessTypes: ['write'], canPersist: true };
    }
    this.sendResponse(response);
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    const bps: Breakpoint[] = [];
    const out: DebugProtocol.Breakpoint[] = [];
    for (const b of args.breakpoints) {
      const { bp, error } = makeBreakpoint('data', b.dataId, EMPTY, { condition: b.condition, hitCondition: b.hitCondition, expr: b.dataId });
      bps.push(bp);
      out.push({ id: bp.id, verified: !error, message: error });
    }
    this.dataBps = bps;
    response.body = { breakpoints: out };
    this.sendResponse(response);
  }

  // ------------------------------------------------------------------ threads, stack, variables

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const tasks = this.ix?.tasks ?? [];
    response.body = { threads: tasks.length ? tasks.map((t, k) => new Thread(k + 1, `task ${t}`)) : [new Thread(1, 'scenario')] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    const run = this.run;
    const ix = this.ix;
    if (!run || !ix || !this.stopped) return this.fail(response, 'Not stopped.');
    if (args.threadId !== this.threadOf(this.pos)) {
      // Only the task running the current event has a kernel stack at this moment.
      response.body = { stackFrames: [], totalFrames: 0 };
      return this.sendResponse(response);
    }
    const t = run.trace;
    const stack = t.stack(this.pos);
    const frames: DebugProtocol.StackFrame[] = [];
    if (!stack.length) frames.push({ id: 1, name: `(scenario line ${t.line(this.pos) + 1})`, source: this.source(), line: this.convertDebuggerLineToClient(t.line(this.pos)), column: this.convertDebuggerColumnToClient(0) });
    for (let d = stack.length - 1; d >= 0; d--) {
      const line = t.line(ix.frameStart(this.pos, d));
      frames.push({
        id: d + 1,
        name: stack[d],
        source: this.source(),
        line: this.convertDebuggerLineToClient(d === stack.length - 1 ? t.line(this.pos) : line),
        column: this.convertDebuggerColumnToClient(0),
        canRestart: true,
      });
    }
    const start = args.startFrame ?? 0;
    const levels = args.levels || frames.length;
    response.body = { stackFrames: frames.slice(start, start + levels), totalFrames: frames.length };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const v = this.stopVars();
    if (!v) return this.fail(response, 'Not stopped.');
    response.body = { scopes: v.scopes(this.depthOf(args.frameId)) };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    const v = this.stopVars();
    if (!v) return this.fail(response, 'Not stopped.');
    response.body = { variables: v.variables(args.variablesReference, args.start, args.count) };
    this.sendResponse(response);
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse): void {
    this.fail(response, 'The trace is a recording: its values are read-only.');
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    const run = this.run;
    if (!run || !this.stopped) return this.fail(response, 'Not stopped: nothing to evaluate.');
    const text = args.expression.trim();
    if (args.context === 'repl') {
      const cmd = /^events(?:\s+(\d+))?(?:\s+([A-Za-z_]\w*))?\s*$/.exec(text);
      if (cmd) {
        response.body = { result: this.eventsAround(cmd[1] ? Number(cmd[1]) : 5, cmd[2]), variablesReference: 0 };
        return this.sendResponse(response);
      }
      if (text === 'help') {
        response.body = { result: HELP, variablesReference: 0 };
        return this.sendResponse(response);
      }
    }
    const depth = this.depthOf(args.frameId);
    const env = this.envAt(this.pos, depth);
    const r = evaluate(text, env);
    if (!r.ok) return this.fail(response, r.error);
    const v = this.stopVars()!;
    response.body = { result: show(r.value, env), variablesReference: v.refFor(r.value, `eval/${text}`) };
    this.sendResponse(response);
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const run = this.run;
    if (!run || !this.stopped) return this.fail(response, 'Not stopped.');
    const t = run.trace;
    const name = t.eventNames[t.eventCode(this.pos)];
    response.body = {
      exceptionId: name,
      description: this.lastStop?.description ?? describeEvent(t, this.pos),
      breakMode: 'always',
      details: { message: eventLine(t, this.pos), typeName: name },
    };
    this.sendResponse(response);
  }

  // ------------------------------------------------------------------ moving

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    if (!this.canMove(response)) return;
    response.body = { allThreadsContinued: true };
    this.sendResponse(response);
    void this.go(this.pos, true, this.endGoal(true));
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    if (!this.canMove(response)) return;
    this.sendResponse(response);
    void this.go(this.pos, false, this.endGoal(false));
  }

  protected override nextRequest(response: DebugProtocol.NextResponse): void {
    if (!this.canMove(response)) return;
    this.sendResponse(response);
    this.stepTo(nextTarget(this.ix!, this.pos, true), true);
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse): void {
    if (!this.canMove(response)) return;
    this.sendResponse(response);
    this.stepTo(nextTarget(this.ix!, this.pos, false), false);
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse): void {
    if (!this.canMove(response)) return;
    this.sendResponse(response);
    this.stepTo(Math.min(this.pos + 1, this.ix!.n - 1), true);
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    if (!this.canMove(response)) return;
    this.sendResponse(response);
    this.stepTo(stepOutTarget(this.ix!, this.pos), true);
  }

  protected override restartFrameRequest(response: DebugProtocol.RestartFrameResponse, args: DebugProtocol.RestartFrameArguments): void {
    if (!this.canMove(response)) return;
    const d = this.depthOf(args.frameId);
    const target = d < 0 ? 0 : this.ix!.frameStart(this.pos, d);
    this.sendResponse(response);
    const fn = this.run!.trace.stack(this.pos)[d] ?? 'the scenario';
    this.stopAt({ index: target, reason: 'restart', description: `Back at the entry of ${fn}: ${describeEvent(this.run!.trace, target)}`, hitBreakpointIds: [] });
  }

  protected override gotoTargetsRequest(response: DebugProtocol.GotoTargetsResponse, args: DebugProtocol.GotoTargetsArguments): void {
    const run = this.run;
    const ix = this.ix;
    if (!run || !ix) return this.fail(response, 'No scenario is running.');
    const line = this.convertClientLineToDebugger(args.line);
    const t = lineBreakpointTarget(run, ix, line, true);
    const targets: DebugProtocol.GotoTarget[] = [];
    // A line can own millions of events: offer the first and last ones and those nearest the cursor.
    const ev = t.events;
    const pick = new Set<number>();
    for (let k = 0; k < Math.min(ev.length, 20); k++) pick.add(k);
    for (let k = Math.max(0, ev.length - 20); k < ev.length; k++) pick.add(k);
    let lo = 0;
    while (lo < ev.length && ev[lo] < this.pos) lo++;
    for (let k = Math.max(0, lo - 30); k < Math.min(ev.length, lo + 30); k++) pick.add(k);
    for (const k of [...pick].sort((a, b) => a - b))
      targets.push({ id: ev[k] + 1, label: `#${ev[k]} ${describeEvent(run.trace, ev[k])}`, line: this.convertDebuggerLineToClient(t.line) });
    response.body = { targets };
    this.sendResponse(response);
  }

  protected override gotoRequest(response: DebugProtocol.GotoResponse, args: DebugProtocol.GotoArguments): void {
    if (!this.canMove(response)) return;
    const i = args.targetId - 1;
    if (!(i >= 0 && i < this.ix!.n)) return this.fail(response, `No event ${i} in this trace.`);
    this.sendResponse(response);
    this.stopAt({ index: i, reason: 'goto', description: `Jumped to event ${i}: ${describeEvent(this.run!.trace, i)}`, hitBreakpointIds: [] });
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    if (this.running) this.running.cancel = true;
    else if (this.run && !this.stopped) this.stopAt({ index: this.pos, reason: 'pause', description: 'Paused', hitBreakpointIds: [] });
    this.sendResponse(response);
  }

  // ------------------------------------------------------------------ internals

  private canMove(response: DebugProtocol.Response): boolean {
    if (!this.run || !this.ix) {
      this.fail(response, 'No scenario is running.');
      return false;
    }
    if (this.running) {
      this.fail(response, 'Already moving: wait for the stop or pause.');
      return false;
    }
    return true;
  }

  private fail(response: DebugProtocol.Response, message: string): void {
    this.sendErrorResponse(response, { id: 1000, format: message.replace(/[{}]/g, (c) => (c === '{' ? '(' : ')')), showUser: false });
  }

  private endGoal(forward: boolean): Goal {
    const t = this.run!.trace;
    const i = forward ? t.length - 1 : 0;
    return forward
      ? { index: i, reason: 'pause', description: `End of the trace (event ${i}): ${describeEvent(t, i)}` }
      : { index: 0, reason: 'entry', description: `Start of the trace: ${describeEvent(t, 0)}` };
  }

  /** A step: the target, unless a breakpoint on the way stops first. */
  private stepTo(target: number, forward: boolean): void {
    const desc = describeEvent(this.run!.trace, target);
    const edge = target === this.pos ? (forward ? ' (end of the trace)' : ' (start of the trace)') : '';
    void this.go(this.pos, forward, { index: target, reason: 'step', description: `${desc}${edge}` });
  }

  private async go(from: number, forward: boolean, goal: Goal): Promise<void> {
    const token = { cancel: false };
    this.running = token;
    this.stopped = false;
    const trace = this.run!.trace;
    let stop: Stop;
    try {
      stop = await search(this.ix!, from, forward, goal, [...this.lineBps, ...this.fnBps, ...this.excBps, ...this.dataBps], {
        envAt: (i) => this.envAt(i),
        log: (text, category) => this.sendEvent(new OutputEvent(text, category)),
        describe: (i) => describeEvent(trace, i),
        cancelled: () => token.cancel,
      });
    } catch (e) {
      const here = Math.max(0, from);
      this.sendEvent(new OutputEvent(`migtrace: internal error while moving: ${e instanceof Error ? e.stack : String(e)}\n`, 'stderr'));
      stop = { index: here, reason: 'pause', description: 'Stopped after an internal error (see the Debug Console)', hitBreakpointIds: [] };
    }
    this.running = null;
    const err = this.run!.error;
    if (err && stop.index === trace.length - 1 && this.excBps.some((b) => b.label === 'run_stopped' && stop.hitBreakpointIds.includes(b.id))) {
      stop.description = `The run stopped here (line ${err.line + 1}): ${err.message}`;
      stop.text = err.message;
    }
    this.stopAt(stop);
  }

  private stopAt(stop: Stop): void {
    if (this.vars) for (const [k, v] of this.vars.shown) this.prevShown.set(k, v);
    this.vars = null;
    this.pos = stop.index;
    this.stopped = true;
    this.lastStop = stop;
    const e = new StoppedEvent(stop.reason, this.threadOf(stop.index)) as DebugProtocol.StoppedEvent;
    e.body.description = stop.description;
    if (stop.text) e.body.text = stop.text;
    e.body.allThreadsStopped = true;
    if (stop.hitBreakpointIds.length) e.body.hitBreakpointIds = stop.hitBreakpointIds;
    this.sendEvent(e);
  }

  private stateAt(i: number): StateView {
    if (this.stateCache?.i !== i) this.stateCache = { i, s: this.run!.trace.stateAt(i) };
    return this.stateCache.s;
  }

  private envAt(i: number, depth?: number): EventEnv {
    return new EventEnv(this.run!.trace, i, this.stateAt(i), depth);
  }

  private stopVars(): StopVariables | null {
    if (!this.run || !this.stopped) return null;
    if (!this.vars) {
      const env = this.envAt(this.pos);
      this.vars = new StopVariables(this.run.trace, this.pos, this.stateAt(this.pos), env, this.prevShown);
    }
    return this.vars;
  }

  /** frame id → stack depth (0 = outermost; -1 = no kernel frame) */
  private depthOf(frameId: number | undefined): number {
    const len = this.run ? this.run.trace.stack(this.pos).length : 0;
    if (frameId === undefined) return len - 1;
    return Math.min(len - 1, Math.max(-1, frameId - 1));
  }

  private threadOf(i: number): number {
    const tasks = this.ix?.tasks ?? [];
    const k = tasks.indexOf(this.run!.trace.task(i));
    return k < 0 ? 1 : k + 1;
  }

  private source(): Source {
    return new Source(path.basename(this.program), this.convertDebuggerPathToClient(this.program));
  }

  private filterEvents(filter: string): Int32Array {
    const run = this.run;
    const ix = this.ix;
    if (!run || !ix) return EMPTY;
    if (filter === 'run_stopped') return run.error ? Int32Array.of(run.trace.length - 1) : EMPTY;
    const code = run.trace.eventNames.indexOf(filter);
    return code < 0 ? EMPTY : ix.eventsNamed(code);
  }

  private suggestFn(name: string): string {
    const fns = [...(this.ix?.functions ?? [])];
    const close = fns.filter((f) => f.includes(name) || name.includes(f)).slice(0, 3);
    return close.length ? ` (did you mean ${close.join(', ')}?)` : fns.length ? ` (functions in this run: ${fns.slice(0, 12).join(', ')}${fns.length > 12 ? ', …' : ''})` : '';
  }

  private eventsAround(n: number, name?: string): string {
    const t = this.run!.trace;
    const lines: string[] = [];
    if (name) {
      // `events EAGAIN`: the nearest events of that name around the cursor
      const code = t.eventNames.indexOf(name);
      if (code < 0) return `No event named ${name} in this trace (events: ${t.eventNames.join(', ')}).`;
      const all = this.ix!.eventsNamed(code);
      let k = 0;
      while (k < all.length && all[k] < this.pos) k++;
      for (let j = Math.max(0, k - n); j < Math.min(all.length, k + n); j++) lines.push(`${all[j] === this.pos ? '>' : ' '} ${eventLine(t, all[j])}`);
      return lines.length ? lines.join('\n') : `No ${name} event in this trace.`;
    }
    for (let j = Math.max(0, this.pos - n); j <= Math.min(t.length - 1, this.pos + n); j++) lines.push(`${j === this.pos ? '>' : ' '} ${eventLine(t, j)}`);
    return lines.join('\n');
  }
}

const HELP = [
  'Debug Console commands:',
  '  events [N] [NAME]   the N events before and after the cursor (default 5), or the nearest NAME events',
  '  <expression>        e.g. B.refcount, count(from), B in ret_folios, stats.nr_failed_pages, pass >= 3 && folio == B',
].join('\n');
