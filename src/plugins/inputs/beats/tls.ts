/** The beats input's ssl_* options → the server's TLS settings (the listeners' shared reading, inputs/http/tls.ts). */
import type { SourceLocation } from '../../../core/errors.js';
import type { OptionsOf } from '../../../config/schema.js';
import type { ServerTls } from '../../../protocols/lumberjack/server.js';
import { serverTls as listenerTls } from '../http/tls.js';
import type { BEATS_INPUT_OPTIONS } from './options.js';

/** The TLS settings, or undefined when TLS is off. Reads the PEM files now, so a missing one stops the start. */
export function serverTls(options: OptionsOf<typeof BEATS_INPUT_OPTIONS>, location: SourceLocation | undefined): ServerTls | undefined {
  return listenerTls('beats', options, location);
}
