// Event breakpoints: one exception filter per event class of the engine's trace.
import type { DebugProtocol } from '@vscode/debugprotocol';
import { vocab } from '../scenario';
import { engineEventNames } from './engine-view';

const DESCRIPTIONS: Record<string, string> = {
  MIGRATEPAGE_UNMAP: 'migrate_folio_unmap() unmapped a folio (it waits on unmap_folios for the move phase)',
  MIGRATEPAGE_SUCCESS: 'a folio was migrated (or freed before migration)',
  EAGAIN: 'a folio will be retried: locked, under writeback, extra references, or a lock that could not be taken',
  EBUSY: 'a folio could not be migrated now (movable_ops, split failure)',
  ENOMEM: 'no destination folio could be allocated',
  EDEADLOCK: 'async batch: a lock could not be taken without risking a deadlock; retried one by one',
  isolate_failed: 'a folio could not be isolated from its LRU',
  split: 'a large folio was split',
  retry_pass: 'a new pass of the retry loop begins',
  tlb_flush: 'the batched TLB flush (try_to_unmap_flush)',
  undo: 'an unmapped folio was given back its mappings (migrate_folio_undo_src/dst)',
  run_stopped: 'the run stopped early: the engine found its model in an impossible state (an invariant violation) or a budget ran out',
};

// the ones a migration is usually debugged with first, then the language's event words, then whatever else the engine emits
const FIRST = ['MIGRATEPAGE_UNMAP', 'MIGRATEPAGE_SUCCESS', 'EAGAIN', 'EBUSY', 'ENOMEM', 'EDEADLOCK', 'isolate_failed', 'split', 'retry_pass', 'tlb_flush', 'undo'];
const CLASSES = [...new Set<string>([...FIRST, ...vocab.EVENTS, ...engineEventNames()])];

export const EVENT_FILTERS: DebugProtocol.ExceptionBreakpointsFilter[] = [
  ...CLASSES.map((name) => ({
    filter: name,
    label: name,
    description: DESCRIPTIONS[name] ?? `the ${name} event`,
    default: false,
    supportsCondition: true,
    conditionDescription: 'e.g. pass >= 3 && folio == B',
  })),
  { filter: 'run_stopped', label: 'Run stopped (invariant violation, budget)', description: DESCRIPTIONS.run_stopped, default: true, supportsCondition: false },
];
