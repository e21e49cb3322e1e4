/**
 * What the jdbc source (main thread) hands the decoder (worker): rows as JSON lines in one byte
 * array, and the columns that held timestamps (sent as ISO text, made Timestamps again by the
 * decoder). The main thread never builds an event.
 */
import { PAYLOAD_MAX_BATCHES, PAYLOAD_TARGET_BYTES, type InputPayload } from '../../api.js';

export interface RowsPayload {
  bytes: Uint8Array;
  /** Columns whose values in this payload were timestamps. */
  timestamps: string[];
}

/** A driver's row as JSON-able values: Dates as ISO text (column noted), buffers as UTF-8 text, big integers as numbers when exact. */
function plainRow(row: Record<string, unknown>, lowercase: boolean, timestamps: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    const name = lowercase ? key.toLowerCase() : key;
    out[name] = plainValue(value, name, timestamps);
  }
  return out;
}

function plainValue(value: unknown, name: string, timestamps: Set<string>): unknown {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null; // MySQL's zero date
    timestamps.add(name);
    return value.toISOString();
  }
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  return value;
}

/** Gathers rows until a payload is full: PAYLOAD_MAX_BATCHES × batch size rows, or ~PAYLOAD_TARGET_BYTES. */
export class RowPayloadBuilder {
  readonly maxRows: number;
  private lines: string[] = [];
  private size = 0;
  private timestamps = new Set<string>();

  constructor(batchSize: number, private readonly lowercase: boolean) {
    this.maxRows = Math.max(1, batchSize * PAYLOAD_MAX_BATCHES);
  }

  get count(): number {
    return this.lines.length;
  }

  get full(): boolean {
    return this.lines.length >= this.maxRows || this.size >= PAYLOAD_TARGET_BYTES;
  }

  add(row: Record<string, unknown>): void {
    const line = JSON.stringify(plainRow(row, this.lowercase, this.timestamps));
    this.lines.push(line);
    this.size += line.length + 1;
  }

  take(): InputPayload {
    const bytes = new TextEncoder().encode(this.lines.join('\n'));
    const data: RowsPayload = { bytes, timestamps: [...this.timestamps] };
    const payload: InputPayload = { data, transfer: [bytes.buffer as ArrayBuffer], events: this.lines.length, bytes: bytes.length };
    this.lines = [];
    this.size = 0;
    this.timestamps = new Set();
    return payload;
  }
}
