import { jsonCodec } from './json.js';
import { jsonLinesCodec } from './json-lines.js';
import { lineCodec } from './line.js';
import { plainCodec } from './plain.js';
import { rubydebugCodec } from './rubydebug.js';
import { beatsJsonCodec } from './beats-json.js';
import { dotsCodec } from './dots.js';
import { cefCodec } from './cef.js';
import { multilineCodec } from './multiline.js';
import { msgpackCodec } from './msgpack.js';

export const CODECS = [plainCodec, lineCodec, jsonCodec, jsonLinesCodec, rubydebugCodec, beatsJsonCodec, dotsCodec, cefCodec, multilineCodec, msgpackCodec];
