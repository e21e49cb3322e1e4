/** Worker side: a tailing payload → its lines (or joined events) as text, with offsets and flags. */
import type { FileEncoding } from './encoding.js';
import { FLAG_TRUNCATED, isEventsPayload, type LineVisitor, type TailPayload } from './payload.js';

export class PayloadReader {
  private readonly delimiter: Buffer;

  constructor(private readonly encoding: FileEncoding, delimiter: string, private readonly stripCR: boolean) {
    this.delimiter = encoding.encode(delimiter);
  }

  forEach(payload: TailPayload, visit: LineVisitor): void {
    if (isEventsPayload(payload)) {
      for (let i = 0; i < payload.messages.length; i++) visit(payload.messages[i]!, payload.offsets[i]!, payload.flags[i]!);
      return;
    }
    const { bytes, cut, cutLengths } = payload;
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const delim = this.delimiter;
    const unit = this.encoding.unit;
    let offset = payload.start;
    let pos = 0;
    let line = 0;
    let nextCut = cut?.[0] ?? -1;
    let cutIndex = 0;
    while (pos < buf.length) {
      let idx = buf.indexOf(delim, pos);
      while (unit === 2 && idx >= 0 && (idx - pos) % 2 !== 0) idx = buf.indexOf(delim, idx + 1);
      const textEnd = idx < 0 ? buf.length : idx;
      const end = idx < 0 ? buf.length : idx + delim.length;
      let text = this.encoding.decode(bytes, pos, textEnd);
      if (this.stripCR && text.endsWith('\r')) text = text.slice(0, -1);
      let length = end - pos;
      let flags = 0;
      if (line === nextCut) {
        flags = FLAG_TRUNCATED;
        length = cutLengths![cutIndex]!;
        nextCut = cut![++cutIndex] ?? -1;
      }
      visit(text, offset, flags);
      offset += length;
      pos = end;
      line++;
    }
  }
}
