/**
 * A harvester reads one open file from an offset: large reads into fresh buffers, lines cut on the
 * delimiter's bytes (no decoding unless multiline needs text), at most `max_bytes` of a line kept
 * (the rest skipped as it streams by: memory stays bounded), a last line without delimiter held
 * back until it is completed (or handed over at close_eof / end of a read-mode file). At the end
 * of the data it waits (backoff doubling to max_backoff) and looks at the file again with stat,
 * which is the source of truth: truncation (size below the read offset) restarts at 0; removal,
 * rename, inactivity, close_timeout and close_eof end it with a reason.
 */
import { stat, type FileHandle } from 'node:fs/promises';
import { concatBytes } from '../core/bytes.js';
import type { FileEncoding } from './encoding.js';
import { MultilineJoiner, type JoinedEvent } from './multiline.js';
import { FLAG_TRUNCATED, payloadBuffers, type EventsPayload, type LinesPayload, type TailPayload } from './payload.js';
import type { TailSettings } from './settings.js';

export type CloseReason = 'stopped' | 'eof' | 'inactive' | 'removed' | 'renamed' | 'timeout' | 'completed' | 'truncated';

/** What a harvester needs from its owner. */
export interface HarvesterHost {
  readonly stopping: boolean;
  /** Hands a payload over; `end` is the offset its acknowledgement commits. Resolves once queued. */
  deliver(payload: TailPayload, transfer: ArrayBuffer[] | undefined, events: number, bytes: number, end: number): Promise<void>;
  /** The file was truncated: positions restart at 0, or (an identity tied to the first bytes) the harvester closes. */
  truncated(): 'restart' | 'close';
  /** Sleeps `ms` or until the owner stops. */
  sleep(ms: number): Promise<void>;
  warnTruncatedLine(path: string, length: number): void;
}

/** Free read buffers a harvester keeps: a payload spans two or three reads. */
const SPARE_READ_BUFFERS = 3;

export class Harvester {
  /** Next byte to read. */
  private readPos: number;
  /** Offset where the next unsent line starts. */
  private lineStart: number;
  // The line being read: its parts (kept up to maxBytes), bytes seen, whether it passed maxBytes.
  private partial: Uint8Array[] = [];
  private partialKept = 0;
  private partialSeen = 0;
  private overLong = false;
  // Lines gathered for the next payload.
  private parts: Uint8Array[] = [];
  private partsBytes = 0;
  private partsLines = 0;
  private payloadStart: number;
  private cut: number[] = [];
  private cutLengths: number[] = [];
  // Multiline: events gathered for the next payload.
  private readonly joiner: MultilineJoiner | undefined;
  private events: JoinedEvent[] = [];
  private readonly ready: { payload: TailPayload; transfer?: ArrayBuffer[]; events: number; bytes: number; end: number }[] = [];
  /**
   * Read buffers: those lines or a partial line may still be views of, and those free again. A
   * fresh 64 KiB buffer per read is external memory V8 frees only in a full GC once its wrapper
   * outlived a scavenge (docs/decisions/0026, "Session 9").
   */
  private readBuffers: Buffer[] = [];
  private readonly spareBuffers: Buffer[] = [];
  private readonly delimiter: Buffer;
  private lastReadAt = Date.now();
  private readonly openedAt = Date.now();
  /** The path the file is followed under (updated by the owner when it is found renamed). */
  path: string;

  constructor(
    private readonly handle: FileHandle,
    path: string,
    private readonly ino: number,
    private readonly dev: number,
    offset: number,
    private readonly s: TailSettings,
    private readonly encoding: FileEncoding,
    private readonly host: HarvesterHost,
  ) {
    this.path = path;
    this.readPos = this.lineStart = this.payloadStart = offset;
    this.delimiter = encoding.encode(s.delimiter);
    if (s.multiline) this.joiner = new MultilineJoiner(s.multiline, (e) => this.addEvent(e));
  }

  /** Reads until a close condition; returns why it stopped. The handle is the caller's to close. */
  async run(): Promise<CloseReason> {
    let backoff = this.s.backoffMs;
    while (!this.host.stopping) {
      const buf = this.spareBuffers.pop() ?? Buffer.allocUnsafeSlow(this.s.chunkSize);
      const { bytesRead } = await this.handle.read(buf, 0, buf.length, this.readPos);
      this.readBuffers.push(buf);
      if (bytesRead > 0) this.consume(buf, bytesRead);
      this.reuseReadBuffers();
      if (bytesRead > 0) {
        await this.pushReady();
        this.lastReadAt = Date.now();
        backoff = this.s.backoffMs;
        if (this.s.closeTimeoutMs > 0 && Date.now() - this.openedAt >= this.s.closeTimeoutMs) return this.close('timeout');
        continue;
      }
      // At the end of the data: what is complete goes out now.
      this.checkMultilineTimeout();
      this.cutPayload();
      await this.pushReady();
      const reason = await this.atEnd();
      if (reason) return this.close(reason);
      await this.host.sleep(backoff);
      backoff = Math.min(backoff * this.s.backoffFactor, this.s.maxBackoffMs);
    }
    return this.close('stopped');
  }

  private async close(reason: CloseReason): Promise<CloseReason> {
    // A last line without delimiter goes out when the file is done with for good.
    if (reason === 'eof' || reason === 'completed') this.endPartialLine();
    if (reason !== 'stopped' || !this.s.multiline) this.joiner?.flush();
    this.cutPayload();
    await this.pushReady();
    return reason;
  }

  private async atEnd(): Promise<CloseReason | undefined> {
    const now = Date.now();
    const own = await this.handle.stat();
    if (own.size < this.readPos) {
      if (this.host.truncated() === 'close') return 'truncated';
      // copytruncate (or any truncation): start again from 0.
      this.readPos = this.lineStart = this.payloadStart = 0;
      this.partial = [];
      this.partialKept = this.partialSeen = 0;
      this.overLong = false;
      this.parts = [];
      this.partsBytes = this.partsLines = 0;
      this.cut = [];
      this.cutLengths = [];
      this.joiner?.reset();
      this.events = [];
      return undefined;
    }
    if (own.size > this.readPos) return undefined; // raced a write: read on
    if (this.s.readMode) return 'completed';
    if (this.s.closeEof) return 'eof';
    try {
      const byPath = await stat(this.path);
      if (byPath.ino !== this.ino || byPath.dev !== this.dev) {
        if (this.s.closeRenamed) return 'renamed';
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && this.s.closeRemoved) return 'removed';
    }
    if (this.s.closeInactiveMs > 0 && now - this.lastReadAt >= this.s.closeInactiveMs) return 'inactive';
    if (this.s.closeTimeoutMs > 0 && now - this.openedAt >= this.s.closeTimeoutMs) return 'timeout';
    return undefined;
  }

  private checkMultilineTimeout(): void {
    const j = this.joiner;
    if (j?.pending && Date.now() - j.lastLineAt >= this.s.multiline!.timeoutMs) j.flush();
  }

  /** Cuts buf[0, n) into lines. */
  private consume(buf: Buffer, n: number): void {
    const delim = this.delimiter;
    // A one-byte delimiter (nearly always "\n") is searched as a number: Buffer's search for a
    // byte sequence costs ~3× as much per call.
    const needle: number | Buffer = delim.length === 1 ? delim[0]! : delim;
    const unit = this.encoding.unit;
    const base = this.readPos;
    // Whole lines that follow each other in `buf` are kept as one view (a run): a view per line
    // cost more than finding the line (~160 ns against ~40 for the indexOf).
    let runStart = -1;
    let pos = 0;
    while (pos < n) {
      let idx = buf.indexOf(needle, pos);
      // UTF-16: a delimiter only counts at a code unit boundary of the file.
      while (unit === 2 && idx >= 0 && idx < n && (base + idx - this.lineStart) % 2 !== 0) idx = buf.indexOf(needle, idx + 1);
      if (idx < 0 || idx + delim.length > n) {
        if (runStart >= 0) this.addRun(buf, runStart, pos);
        this.addPartial(buf, pos, n);
        runStart = -1;
        break;
      }
      const end = idx + delim.length;
      if (this.partialSeen === 0 && !this.joiner) {
        if (runStart < 0) runStart = pos;
        this.lineStart += end - pos;
        this.partsBytes += end - pos;
        if (++this.partsLines >= this.s.maxLinesPerPayload || this.partsBytes >= this.s.targetPayloadBytes) {
          this.addRun(buf, runStart, end);
          runStart = -1;
          this.cutPayload();
        }
      } else {
        // Kept in order with the run (a partial line only ends first in a read, so none is open).
        if (runStart >= 0) this.addRun(buf, runStart, pos);
        runStart = -1;
        if (this.partialSeen === 0) this.addLine(buf.subarray(pos, end), end - pos, false);
        else {
          this.addPartial(buf, pos, end);
          this.finishPartial();
        }
      }
      pos = end;
    }
    if (runStart >= 0) this.addRun(buf, runStart, pos);
    this.readPos += n;
  }

  /** Whole lines buf[from, to), already counted in partsLines/partsBytes and lineStart. */
  private addRun(buf: Buffer, from: number, to: number): void {
    if (to > from) this.parts.push(buf.subarray(from, to));
  }

  /** Keeps bytes of an unfinished line, at most maxBytes of it. */
  private addPartial(buf: Buffer, from: number, to: number): void {
    const room = this.s.maxBytes - this.partialKept;
    const take = Math.min(room, to - from);
    if (take > 0) {
      this.partial.push(buf.subarray(from, from + take));
      this.partialKept += take;
    }
    if (to - from > take) this.overLong = true;
    this.partialSeen += to - from;
  }

  private finishPartial(): void {
    const kept = concatBytes(this.partial, this.partialKept);
    let line = kept;
    if (this.overLong) {
      // Cut at max_bytes; the line keeps a delimiter so the decoder sees it whole.
      const body = kept.subarray(0, Math.min(kept.length, this.s.maxBytes));
      line = concatBytes([body, this.delimiter], body.length + this.delimiter.length);
      this.host.warnTruncatedLine(this.path, this.partialSeen);
    }
    const seen = this.partialSeen;
    const over = this.overLong;
    this.partial = [];
    this.partialKept = this.partialSeen = 0;
    this.overLong = false;
    this.addLine(line, seen, over);
  }

  /** A last line without delimiter, handed over at close (close_eof, read mode). */
  private endPartialLine(): void {
    if (this.partialSeen === 0) return;
    const seen = this.partialSeen;
    const over = this.overLong;
    const line = concatBytes(this.partial, this.partialKept);
    this.partial = [];
    this.partialKept = this.partialSeen = 0;
    this.overLong = false;
    this.addLine(line, seen, over);
  }

  /** One whole line: `line` holds its kept bytes, `length` its length in the file. */
  private addLine(line: Uint8Array, length: number, truncated: boolean): void {
    const start = this.lineStart;
    this.lineStart += length;
    if (this.joiner) {
      const textEnd = line.length - (endsWith(line, this.delimiter) ? this.delimiter.length : 0);
      let text = this.encoding.decode(line, 0, textEnd);
      if (text.endsWith('\r')) text = text.slice(0, -1);
      this.joiner.add(text, start, this.lineStart, truncated, Date.now());
      return;
    }
    if (truncated) {
      this.cut.push(this.partsLines);
      this.cutLengths.push(length);
    }
    this.parts.push(line);
    this.partsBytes += line.length;
    this.partsLines++;
    if (this.partsLines >= this.s.maxLinesPerPayload || this.partsBytes >= this.s.targetPayloadBytes) this.cutPayload();
  }

  private addEvent(e: JoinedEvent): void {
    this.events.push(e);
    if (this.events.length >= this.s.maxLinesPerPayload) this.cutPayload();
  }

  /** Moves what is gathered into a ready payload. */
  private cutPayload(): void {
    if (this.events.length > 0) {
      const events = this.events;
      this.events = [];
      const payload: EventsPayload = { path: this.path, messages: events.map((e) => e.text), offsets: events.map((e) => e.start), flags: events.map((e) => e.flags) };
      const bytes = payload.messages.reduce((n, m) => n + m.length, 0);
      this.ready.push({ payload, events: events.length, bytes, end: events[events.length - 1]!.end });
    }
    if (this.partsLines === 0) return;
    // In a plain Uint8Array, as every payload's bytes are once they crossed to a worker.
    const bytes = concatBytes(this.parts, this.partsBytes, new Uint8Array(payloadBuffers.take(this.partsBytes).buffer, 0, this.partsBytes));
    const payload: LinesPayload = { path: this.path, start: this.payloadStart, bytes };
    if (this.cut.length > 0) {
      payload.cut = this.cut;
      payload.cutLengths = this.cutLengths;
      this.cut = [];
      this.cutLengths = [];
    }
    this.ready.push({ payload, transfer: [bytes.buffer as ArrayBuffer], events: this.partsLines, bytes: bytes.length, end: this.lineStart });
    this.payloadStart = this.lineStart;
    this.parts = [];
    this.partsBytes = this.partsLines = 0;
  }

  /** Read buffers no gathered line or partial line is a view of are free for the next reads. */
  private reuseReadBuffers(): void {
    const held = (b: Buffer): boolean => this.parts.some((p) => p.buffer === b.buffer) || this.partial.some((p) => p.buffer === b.buffer);
    const still: Buffer[] = [];
    for (const b of this.readBuffers) {
      if (held(b)) still.push(b);
      else if (this.spareBuffers.length < SPARE_READ_BUFFERS) this.spareBuffers.push(b);
    }
    this.readBuffers = still;
  }

  private async pushReady(): Promise<void> {
    for (const r of this.ready.splice(0)) await this.host.deliver(r.payload, r.transfer, r.events, r.bytes, r.end);
  }
}


function endsWith(line: Uint8Array, delim: Uint8Array): boolean {
  if (line.length < delim.length) return false;
  for (let i = 0; i < delim.length; i++) if (line[line.length - delim.length + i] !== delim[i]) return false;
  return true;
}

export { FLAG_TRUNCATED };
