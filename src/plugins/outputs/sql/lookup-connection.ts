/**
 * The remote-database options of the SQL lookup filters (jdbc_streaming, jdbc_static), as
 * logstash-integration-jdbc names them, and the connection target they describe.
 */
import { ConfigError, type SourceLocation } from '../../../core/errors.js';
import type { OptionsOf, Schema } from '../../../config/schema.js';
import { parseConnectionString, type ConnectionTarget } from './connection.js';

export const JDBC_LOOKUP_CONNECTION_OPTIONS = {
  jdbc_connection_string: { type: 'password', required: true, description: 'jdbc:mysql://…, jdbc:mariadb://…, jdbc:postgresql://…, jdbc:sqlite:<file>. Treated as a secret.' },
  jdbc_user: { type: 'string', description: 'User (overrides the connection string\'s).' },
  jdbc_password: { type: 'password', description: 'Password (overrides the connection string\'s).' },
  jdbc_driver_class: { type: 'string', ignored: 'logpipe ships its own drivers', description: 'Accepted for compatibility.' },
  jdbc_driver_library: { type: 'string', ignored: 'logpipe ships its own drivers', description: 'Accepted for compatibility.' },
} as const satisfies Schema;

/** The target of the connection options; a malformed string is a ConfigError naming the plugin. */
export function lookupTarget(options: OptionsOf<typeof JDBC_LOOKUP_CONNECTION_OPTIONS>, plugin: string, location: SourceLocation | undefined): ConnectionTarget {
  let target: ConnectionTarget;
  try {
    target = parseConnectionString(options.jdbc_connection_string.reveal());
  } catch (err) {
    throw new ConfigError(`${plugin}: ${(err as Error).message}`, location);
  }
  if (options.jdbc_user !== undefined) target.user = options.jdbc_user;
  if (options.jdbc_password !== undefined) target.password = options.jdbc_password.reveal();
  return target;
}
