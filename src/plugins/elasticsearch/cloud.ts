/**
 * Elastic Cloud's shorthand settings of Logstash's elasticsearch output: `cloud_id`
 * ("label:" + base64 of "host[:port]$es_uuid[:port]$kibana_uuid") names the deployment's
 * Elasticsearch endpoint, `cloud_auth` ("user:password") its basic credentials.
 */
import { ConfigError, type SourceLocation } from '../../core/errors.js';

/** The https:// base URL of the deployment a cloud_id names (port 443 unless the id carries one). */
export function cloudIdUrl(cloudId: string, location?: SourceLocation): string {
  const refused = (why: string): ConfigError =>
    new ConfigError(`elasticsearch: invalid cloud_id: ${why}`, location, 'copy the Cloud ID from the deployment page of the Elastic Cloud console');
  // The label before the first ":" is for people; the rest is base64 (which has no ":").
  const colon = cloudId.indexOf(':');
  const encoded = colon === -1 ? cloudId : cloudId.slice(colon + 1);
  if (!/^[A-Za-z0-9+/=_-]+$/.test(encoded)) throw refused('the part after the label is not base64');
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const [domainPart, esPart] = decoded.split('$');
  if (!domainPart || !esPart) throw refused('it does not decode to "host$elasticsearch-id$kibana-id"');
  const [domain, domainPort] = splitPort(domainPart);
  const [esId, esPort] = splitPort(esPart);
  const port = esPort ?? domainPort ?? '443';
  if (!/^\d+$/.test(port)) throw refused(`port "${port}" is not a number`);
  return `https://${esId}.${domain}:${port}`;
}

/** cloud_auth "user:password" → its two halves (the password may hold ":"). */
export function cloudAuthCredentials(cloudAuth: string, location?: SourceLocation): { user: string; password: string } {
  const colon = cloudAuth.indexOf(':');
  if (colon <= 0) throw new ConfigError('elasticsearch: cloud_auth must be "user:password"', location);
  return { user: cloudAuth.slice(0, colon), password: cloudAuth.slice(colon + 1) };
}

function splitPort(text: string): [string, string | undefined] {
  const colon = text.lastIndexOf(':');
  return colon === -1 ? [text, undefined] : [text.slice(0, colon), text.slice(colon + 1)];
}
