/**
 * The `log` and `filestream` inputs: Filebeat options → the tailing core's settings (source), and
 * the decoder that builds Filebeat's events (json, include/exclude_lines, fields, the ecs or legacy
 * field layout). Multiline joining happens at the source (see src/tailing/multiline.ts).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { OptionsOf } from '../../../config/schema.js';
import { expandDottedKeys } from '../../../core/dotted-keys.js';
import { ConfigError } from '../../../core/errors.js';
import { Event } from '../../../core/event.js';
import { PAYLOAD_MAX_BATCHES, PAYLOAD_TARGET_BYTES, type InputDecoder, type InputSource, type PluginContext } from '../../api.js';
import { PayloadReader } from '../../../tailing/decode.js';
import { fileEncoding } from '../../../tailing/encoding.js';
import { compileBeatsRegex, identitySettings, multilineSettings } from '../../../tailing/options.js';
import { FLAG_MULTILINE, FLAG_TRUNCATED, type TailPayload } from '../../../tailing/payload.js';
import { REGISTRY_FILE } from '../../../tailing/registry/store.js';
import type { TailSettings } from '../../../tailing/settings.js';
import { TailSource } from '../../../tailing/tailer.js';
import type { FILEBEAT_FILE_OPTIONS } from './options.js';

export type BeatsInputKind = 'log' | 'filestream';
export type BeatsFileOptions = OptionsOf<typeof FILEBEAT_FILE_OPTIONS> & { parsers?: unknown[]; prospector?: Record<string, unknown>; type?: string };

/** The registry file an input uses: `<registry_path>/logpipe-registry.json`. */
export const registryFileOf = (options: Pick<BeatsFileOptions, 'registry_path'>, ctx: PluginContext): string =>
  join(resolve(options.registry_path ?? join(ctx.dataDir, 'registry')), REGISTRY_FILE);

/** filestream's `parsers` list folded into multiline/json groups. */
function parserGroups(kind: BeatsInputKind, options: BeatsFileOptions): { multiline?: Record<string, unknown>; json?: Record<string, unknown> } {
  let multiline = options.multiline;
  let json = options.json;
  if (kind === 'filestream') {
    for (const p of options.parsers ?? []) {
      if (!p || typeof p !== 'object') throw new Error('parsers: each entry is a one-key hash (multiline or ndjson)');
      const [name, value] = Object.entries(p as Record<string, unknown>)[0] ?? [];
      if (name === 'multiline') multiline = value as Record<string, unknown>;
      else if (name === 'ndjson') {
        // ndjson's `target`: unset or "" puts the keys at the root (Filebeat's default), else under that (dotted) path.
        const ndjson = (value ?? {}) as Record<string, unknown>;
        const target = typeof ndjson['target'] === 'string' ? ndjson['target'] : '';
        json = { ...ndjson, keys_under_root: target === '', target };
      }
      else throw new Error(`parsers: "${String(name)}" is not supported (multiline, ndjson)`);
    }
  }
  return { multiline, json };
}

/** Filebeat's `scan.sort` (modtime | filename; unset: no order) and `scan.order` (asc | desc). */
function scanOrder(scan: Record<string, unknown> | undefined): TailSettings['openOrder'] {
  const sort = scan?.['sort'] ?? '';
  const order = scan?.['order'] ?? 'asc';
  if (sort === '') return undefined;
  if (sort !== 'modtime' && sort !== 'filename') throw new Error(`scan.sort must be modtime or filename, got ${JSON.stringify(sort)}`);
  if (order !== 'asc' && order !== 'desc') throw new Error(`scan.order must be asc or desc, got ${JSON.stringify(order)}`);
  return { by: sort === 'modtime' ? 'last_modified' : 'filename', descending: order === 'desc' };
}

function settingsOf(kind: BeatsInputKind, o: BeatsFileOptions, ctx: PluginContext): TailSettings {
  const scanner = (o.prospector?.['scanner'] ?? {}) as Record<string, unknown>;
  const excludes = [...o.exclude_files, ...((scanner['exclude_files'] as string[] | undefined) ?? [])].map(compileBeatsRegex);
  const includes = ((scanner['include_files'] as string[] | undefined) ?? []).map(compileBeatsRegex);
  const { multiline } = parserGroups(kind, o);
  if (o.backoff > o.max_backoff) throw new Error(`backoff (${o.backoff} ms) must not exceed max_backoff (${o.max_backoff} ms)`);
  if (!(o.max_bytes >= 1)) throw new Error('max_bytes must be at least 1 byte');
  return {
    scope: kind === 'log' ? 'filebeat::logs' : `filestream::${ctx.id}`,
    paths: o.paths.map((p) => resolve(p)),
    excluded: (path) => excludes.some((r) => r.test(path)) || (includes.length > 0 && !includes.some((r) => r.test(path))),
    ...identitySettings(o.file_identity, scanner, kind, ctx.logger),
    followSymlinks: o.symlinks || scanner['symlinks'] === true,
    scanIntervalMs: scanner['check_interval'] !== undefined ? Number(scanner['check_interval']) * 1000 : o.scan_frequency,
    backoffMs: o.backoff,
    backoffFactor: o.backoff_factor,
    maxBackoffMs: o.max_backoff,
    closeInactiveMs: o.close_inactive,
    closeRenamed: o.close_renamed,
    closeRemoved: o.close_removed,
    closeEof: o.close_eof,
    closeTimeoutMs: o.close_timeout,
    ignoreOlderMs: o.ignore_older,
    cleanInactiveMs: o.clean_inactive,
    cleanRemoved: o.clean_removed,
    startAtEnd: o.tail_files,
    harvesterLimit: o.harvester_limit,
    openOrder: scanOrder(o.scan),
    maxBytes: o.max_bytes,
    chunkSize: 64 * 1024,
    delimiter: '\n',
    encoding: o.encoding,
    multiline: multilineSettings(multiline),
    maxLinesPerPayload: ctx.batchSize * PAYLOAD_MAX_BATCHES,
    targetPayloadBytes: PAYLOAD_TARGET_BYTES,
  };
}

export function beatsTailSource(kind: BeatsInputKind, options: BeatsFileOptions, ctx: PluginContext): InputSource {
  let settings: TailSettings;
  try {
    settings = settingsOf(kind, options, ctx);
  } catch (err) {
    throw new ConfigError(`${kind}: ${(err as Error).message}`, ctx.location);
  }
  return new TailSource(settings, registryFileOf(options, ctx), ctx.logger);
}

/** logpipe's version, for `agent.version` / `beat.version`. */
function version(): string {
  return (JSON.parse(readFileSync(new URL('../../../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** A stable agent id kept beside the plugin's data (Filebeat keeps one in its data directory). */
function agentId(dir: string): string {
  const file = join(dir, 'agent-id');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    const id = randomUUID();
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, id, { flag: 'wx' });
      return id;
    } catch {
      return readFileSync(file, 'utf8').trim();
    }
  }
}

/** `agent.ephemeral_id`: as in Filebeat, one per process run, whatever the number of inputs. */
const EPHEMERAL_ID = randomUUID();

/** What every event of a Beats file input says about the shipper, whatever the line. */
export interface BeatsShipper {
  hostname: string;
  version: string;
  /** ecs layout: the `agent` object (legacy events have none, and no agent-id file is made for them). */
  agent?: { type: string; name: string; hostname: string; version: string; id: string; ephemeral_id: string };
}

/**
 * The shipper's fields, for the decoder and for anything that must write the same documents
 * without it (the logstash output's fused step): `dataDir` is the input's plugin data directory.
 */
export function beatsShipper(layout: 'ecs' | 'legacy', dataDir: string): BeatsShipper {
  const host = hostname();
  const beatVersion = version();
  if (layout === 'legacy') return { hostname: host, version: beatVersion };
  return { hostname: host, version: beatVersion, agent: { type: 'filebeat', name: host, hostname: host, version: beatVersion, id: agentId(dataDir), ephemeral_id: EPHEMERAL_ID } };
}

/** What the documents of a plain-line input depend on (plainLineEvents). */
export interface PlainLineEvents {
  kind: BeatsInputKind;
  layout: 'ecs' | 'legacy';
  /** legacy: the `type` field. */
  docType: string;
  shipper: BeatsShipper;
  /** The input's `fields` (at the root with fieldsUnderRoot) and `tags`, the same on every event. */
  fields: Record<string, unknown>;
  fieldsUnderRoot: boolean;
  tags: readonly string[];
}

const UTF8_NAMES = new Set(['plain', 'utf-8', 'utf8']);

/**
 * Whether beatsTailDecoder with these options maps each line of a LinesPayload to one event of a
 * fixed shape — the line decoded as UTF-8 (one trailing \r dropped) as `message`, the path, the
 * offset, the flag of a truncated line, the shipper's fields and the input's constant `fields` and
 * `tags`, nothing else — and if so, what
 * those events depend on; undefined otherwise. Anything that writes such events without the
 * decoder (the logstash output's fused step) relies on it: every option the decoder, or the
 * source's multiline joining, reads must be checked here.
 */
export function plainLineEvents(kind: BeatsInputKind, options: BeatsFileOptions, ctx: PluginContext): PlainLineEvents | undefined {
  if (!UTF8_NAMES.has(String(options.encoding).toLowerCase())) return undefined;
  if (options.include_lines.length > 0 || options.exclude_lines.length > 0) return undefined;
  if (options.field_layout !== 'ecs' && options.field_layout !== 'legacy') return undefined;
  let groups: ReturnType<typeof parserGroups>;
  try {
    groups = parserGroups(kind, options);
  } catch {
    return undefined;
  }
  if (groups.json !== undefined || groups.multiline !== undefined) return undefined;
  return {
    kind, layout: options.field_layout, docType: options.type ?? 'log', shipper: beatsShipper(options.field_layout, ctx.dataDir),
    fields: options.fields ?? {}, fieldsUnderRoot: options.fields_under_root === true, tags: options.tags ?? [],
  };
}

export function beatsTailDecoder(kind: BeatsInputKind, options: BeatsFileOptions, ctx: PluginContext): InputDecoder {
  let reader: PayloadReader;
  let include: RegExp[];
  let exclude: RegExp[];
  let json: Record<string, unknown> | undefined;
  try {
    settingsOf(kind, options, ctx); // the source's settings too (identity, marker file, scan order): `--check` builds decoders only
    reader = new PayloadReader(fileEncoding(options.encoding), '\n', true);
    include = options.include_lines.map(compileBeatsRegex);
    exclude = options.exclude_lines.map(compileBeatsRegex);
    json = parserGroups(kind, options).json;
  } catch (err) {
    throw new ConfigError(`${kind}: ${(err as Error).message}`, ctx.location);
  }
  const legacy = options.field_layout === 'legacy';
  const { hostname: host, version: beatVersion, agent } = beatsShipper(legacy ? 'legacy' : 'ecs', ctx.dataDir);
  const fields = options.fields;
  const hasFields = Object.keys(fields).length > 0;
  const tags = options.tags;
  const docType = options.type ?? 'log';
  const jsonKeysUnderRoot = json?.['keys_under_root'] === true;
  const jsonOverwrite = json?.['overwrite_keys'] === true;
  const jsonErrorKey = json?.['add_error_key'] === true;
  const jsonMessageKey = typeof json?.['message_key'] === 'string' ? json['message_key'] : undefined;
  const jsonExpandKeys = json?.['expand_keys'] === true;
  const jsonTarget = typeof json?.['target'] === 'string' && json['target'] !== '' ? json['target'].split('.') : undefined;
  return {
    decode(data, emit) {
      const payload = data as TailPayload;
      reader.forEach(payload, (text, offset, flags) => {
        let message: string | undefined = text;
        let decoded: Record<string, unknown> | undefined;
        let jsonError: string | undefined;
        if (json) {
          try {
            const v: unknown = JSON.parse(text);
            if (v && typeof v === 'object' && !Array.isArray(v)) decoded = v as Record<string, unknown>;
            else jsonError = 'Error decoding JSON: not an object';
          } catch (err) {
            jsonError = `Error decoding JSON: ${(err as Error).message}`;
          }
          message = decoded ? (jsonMessageKey ? String(decoded[jsonMessageKey] ?? '') : undefined) : text;
        }
        const filterOn = message ?? text;
        if (include.length > 0 && !include.some((r) => r.test(filterOn))) return;
        if (exclude.some((r) => r.test(filterOn))) return;
        const event = new Event(message === undefined ? {} : { message });
        if (legacy) {
          event.data['source'] = payload.path;
          event.data['offset'] = offset;
          event.data['beat'] = { hostname: host, name: host, version: beatVersion };
          event.data['type'] = docType;
          event.data['input_type'] = kind;
        } else {
          event.data['log'] = { file: { path: payload.path }, offset };
          event.data['input'] = { type: kind };
          event.data['host'] = { name: host };
          event.data['agent'] = { ...agent };
          event.data['ecs'] = { version: '8.0.0' };
        }
        if (flags) {
          const list: string[] = [];
          if (flags & FLAG_TRUNCATED) list.push('truncated');
          if (flags & FLAG_MULTILINE) list.push('multiline');
          if (legacy) event.tag(flags & FLAG_TRUNCATED ? '_line_truncated' : 'multiline');
          else (event.data['log'] as Record<string, unknown>)['flags'] = list;
        }
        if (decoded && jsonExpandKeys) {
          const expanded = expandDottedKeys(decoded);
          decoded = expanded.value;
          if (expanded.conflicts.length > 0) jsonError ??= `cannot expand ${expanded.conflicts.map((k) => `"${k}"`).join(', ')}: a value is already there`;
        }
        if (decoded && jsonTarget) {
          let at = event.data;
          for (const part of jsonTarget.slice(0, -1)) at = (at[part] = typeof at[part] === 'object' && at[part] !== null ? at[part] : {}) as Record<string, unknown>;
          at[jsonTarget[jsonTarget.length - 1]!] = decoded;
        } else if (decoded) {
          if (jsonKeysUnderRoot) {
            for (const [k, v] of Object.entries(decoded)) if (jsonOverwrite || event.data[k] === undefined) event.data[k] = v;
          } else event.data['json'] = decoded;
        }
        if (jsonError && jsonErrorKey) event.data['error'] = { message: jsonError, type: 'json' };
        if (hasFields) {
          if (options.fields_under_root) for (const [k, v] of Object.entries(fields)) event.data[k] = structuredClone(v);
          else event.data['fields'] = structuredClone(fields);
        }
        for (const t of tags) event.tag(t);
        emit(event);
      });
    },
  };
}
