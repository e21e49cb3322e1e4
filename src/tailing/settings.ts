/** The tailing core's settings, whichever option vocabulary (Logstash's file, Filebeat's log/filestream) produced them. */
import type { IdentityMode, InodeMarker, ScannerFingerprint } from './identity.js';
import type { MultilineSettings } from './multiline.js';

export interface TailSettings {
  /** Registry key prefix: `filebeat::logs`, `filestream::<id>`, `file`. */
  scope: string;
  /** Absolute glob patterns. */
  paths: string[];
  /** True for a path that must not be read. */
  excluded(path: string): boolean;
  identity: IdentityMode;
  /** Filebeat's scanner fingerprint when enabled: files shorter than offset+length are not read; the `fingerprint` identity hashes these bytes. */
  scannerFingerprint?: ScannerFingerprint;
  /** The marker file of the `inode_marker` identity. */
  inodeMarker?: InodeMarker;
  followSymlinks: boolean;
  scanIntervalMs: number;
  backoffMs: number;
  backoffFactor: number;
  maxBackoffMs: number;
  /** 0 = never. */
  closeInactiveMs: number;
  closeRenamed: boolean;
  closeRemoved: boolean;
  closeEof: boolean;
  /** 0 = no limit. */
  closeTimeoutMs: number;
  /** 0 = off. */
  ignoreOlderMs: number;
  /** 0 = never; stored as the entries' TTL. */
  cleanInactiveMs: number;
  cleanRemoved: boolean;
  /** New files start at their end (tail_files, start_position => end). */
  startAtEnd: boolean;
  /** 0 = no limit. */
  harvesterLimit: number;
  /**
   * Order in which a scan's new files are opened (matters with harvesterLimit and in read mode);
   * `filename` compares base names (Filebeat's scan.sort). Unset: glob order, shuffled at each scan
   * when harvesterLimit is set (Filebeat's unspecified order).
   */
  openOrder?: { by: 'last_modified' | 'path' | 'filename'; descending: boolean };
  maxBytes: number;
  chunkSize: number;
  /** The line delimiter as text; encoded with `encoding` by the source. */
  delimiter: string;
  encoding: string;
  multiline?: MultilineSettings;
  /** Logstash's read mode: each file is read once to its end, then completed. */
  readMode?: { complete(path: string): Promise<void> };
  /** Payload bounds (lines, bytes). */
  maxLinesPerPayload: number;
  targetPayloadBytes: number;
}
