/**
 * The aggregate filter's task maps, shared by every aggregate filter of one pipeline (in one
 * worker) that uses the same `task_id` pattern, as Logstash shares them by pattern: the SQL
 * example's three filters (create, update, update + end_of_task) work on one map per task.
 *
 * One store per pipeline and worker thread. A filter id registered twice means the pipeline's
 * filters are being built again (a reload, a new pipeline run in the same thread): the store
 * then starts empty, as Logstash's maps do when a pipeline restarts (aggregate_maps_path aside).
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

/** A task's map and when it began and was last seen (ms: the clock, or event time with timeout_timestamp_field). */
export interface TaskEntry {
  map: Record<string, unknown>;
  createdMs: number;
  lastMs: number;
  /** Clock minus event time when the task was last seen (0 without timeout_timestamp_field). */
  clockOffsetMs: number;
}

/** The maps of one task_id pattern, in creation order (a Map keeps insertion order). */
export interface TaskGroup {
  tasks: Map<string, TaskEntry>;
  /** The filter that defines the pattern's timeout options, if any. */
  owner: string | undefined;
  /** Filters using the pattern, in creation order; the owner (or the first) handles timeouts. */
  members: string[];
}

interface PipelineStore {
  groups: Map<string, TaskGroup>;
  filterIds: Set<string>;
  pathHolder: string | undefined;
}

const stores = new Map<string, PipelineStore>();

/** The group of a pattern for one filter instance; throws (with `conflict`'s text) on a second timeout owner. */
export function joinGroup(
  scope: { pipelineId: string; workerIndex: number },
  filterId: string,
  pattern: string,
  ownsTimeouts: boolean,
): TaskGroup {
  const key = `${scope.pipelineId}\u0000${scope.workerIndex}`;
  let store = stores.get(key);
  if (store === undefined || store.filterIds.has(filterId)) {
    store = { groups: new Map(), filterIds: new Set(), pathHolder: undefined };
    stores.set(key, store);
  }
  store.filterIds.add(filterId);
  let group = store.groups.get(pattern);
  if (group === undefined) {
    group = { tasks: new Map(), owner: undefined, members: [] };
    store.groups.set(pattern, group);
  }
  if (ownsTimeouts) {
    if (group.owner !== undefined) {
      throw new Error(
        `for task_id pattern '${pattern}', more than one aggregate filter defines timeout options (${group.owner} and ${filterId}); ` +
          'define every timeout option in only one aggregate filter per task_id pattern',
      );
    }
    group.owner = filterId;
  }
  group.members.push(filterId);
  return group;
}

/** Whether `filterId` handles the group's timeouts: its owner, or its first filter when none owns them. */
export function handlesTimeouts(group: TaskGroup, filterId: string): boolean {
  return group.owner === undefined ? group.members[0] === filterId : group.owner === filterId;
}

function storeOf(scope: { pipelineId: string; workerIndex: number }): PipelineStore {
  const store = stores.get(`${scope.pipelineId}\u0000${scope.workerIndex}`);
  if (store === undefined) throw new Error('aggregate: no task maps for this pipeline (joinGroup first)');
  return store;
}

/** Marks the filter that persists the pipeline's maps; throws when another one already does. */
export function claimMapsPath(scope: { pipelineId: string; workerIndex: number }, filterId: string): void {
  const store = storeOf(scope);
  if (store.pathHolder !== undefined && store.pathHolder !== filterId) {
    throw new Error(`aggregate_maps_path is set on two aggregate filters (${store.pathHolder} and ${filterId}); set it on only one per pipeline`);
  }
  store.pathHolder = filterId;
}

interface SavedMaps {
  version: 1;
  /** pattern → [task id, map, created ms][] */
  groups: Record<string, Array<[string, Record<string, unknown>, number]>>;
}

/**
 * Loads maps saved at the last shutdown into the pipeline's groups and deletes the file, as
 * Logstash does (the maps are in memory now; a crash must not load them twice). Returns how many.
 */
export function loadMaps(scope: { pipelineId: string; workerIndex: number }, file: string): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
  let saved: SavedMaps;
  try {
    saved = JSON.parse(text) as SavedMaps;
  } catch {
    throw new Error(`${file} is not a logpipe aggregate maps file (not JSON; a Logstash maps file cannot be read)`);
  }
  if (saved === null || typeof saved !== 'object' || saved.version !== 1 || typeof saved.groups !== 'object') {
    throw new Error(`${file} is not a logpipe aggregate maps file`);
  }
  const store = storeOf(scope);
  const now = Date.now();
  let count = 0;
  for (const [pattern, tasks] of Object.entries(saved.groups)) {
    let group = store.groups.get(pattern);
    if (group === undefined) {
      group = { tasks: new Map(), owner: undefined, members: [] };
      store.groups.set(pattern, group);
    }
    for (const [taskId, map, createdMs] of tasks) {
      group.tasks.set(taskId, { map, createdMs, lastMs: now, clockOffsetMs: 0 });
      count++;
    }
  }
  rmSync(file, { force: true });
  return count;
}

/** Writes every map of the pipeline (all patterns) to `file`, atomically. Returns how many. */
export function saveMaps(scope: { pipelineId: string; workerIndex: number }, file: string): number {
  const store = storeOf(scope);
  const saved: SavedMaps = { version: 1, groups: {} };
  let count = 0;
  for (const [pattern, group] of store.groups) {
    if (group.tasks.size === 0) continue;
    saved.groups[pattern] = [...group.tasks].map(([id, t]) => [id, t.map, t.createdMs]);
    count += group.tasks.size;
  }
  if (count === 0) {
    rmSync(file, { force: true });
    return 0;
  }
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(saved));
  renameSync(tmp, file);
  return count;
}
