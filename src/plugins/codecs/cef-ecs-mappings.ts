/**
 * The cef codec's ECS naming (`ecs_compatibility => v1 / v8`), as Logstash's cef codec documents
 * it: each header field and each extension field (known by its CEF name or its short key) has an
 * ECS field. Fields that ECS does not define live under `[cef]`. The device fields go to
 * `[observer]` or `[host]` by the codec's `device` option.
 */

export const CEF_ECS_HEADER_FIELDS = ['[cef][version]', '[observer][vendor]', '[observer][product]', '[observer][version]', '[event][code]', '[cef][name]', '[event][severity]'] as const;

/** Where the text before `CEF:` goes (a syslog header) in ECS mode. */
export const CEF_ECS_SYSLOG_FIELD = '[log][syslog][header]';

export type CefDevice = 'observer' | 'host';

/** One extension field: its CEF name, short key (if any), ECS field, and how it is read. */
interface ExtensionField {
  name: string;
  key?: string;
  ecs: string;
  /** Several names map to this ECS field; this one is written when encoding it. */
  preferred?: true;
  /** A time: decoded to a timestamp in ECS mode. */
  time?: true;
}

const f = (name: string, key: string | undefined, ecs: string, extra: Partial<ExtensionField> = {}): ExtensionField => ({ name, ...(key ? { key } : {}), ecs, ...extra });

function extensionFields(device: CefDevice): ExtensionField[] {
  const onHost = device === 'host';
  const fields: ExtensionField[] = [
    f('agentAddress', 'agt', '[agent][ip]'),
    f('agentDnsDomain', undefined, '[cef][agent][registered_domain]', { preferred: true }),
    f('agentHostName', 'ahost', '[agent][name]'),
    f('agentId', 'aid', '[agent][id]'),
    f('agentMacAddress', 'amac', '[agent][mac]'),
    f('agentNtDomain', undefined, '[cef][agent][registered_domain]'),
    f('agentReceiptTime', 'art', '[event][created]', { time: true }),
    f('agentTimeZone', 'atz', '[cef][agent][timezone]'),
    f('agentTranslatedAddress', undefined, '[cef][agent][nat][ip]'),
    f('agentTranslatedZoneExternalID', undefined, '[cef][agent][translated_zone][external_id]'),
    f('agentTranslatedZoneURI', undefined, '[cef][agent][translated_zone][uri]'),
    f('agentType', 'at', '[agent][type]'),
    f('agentVersion', 'av', '[agent][version]'),
    f('agentZoneExternalID', undefined, '[cef][agent][zone][external_id]'),
    f('agentZoneURI', undefined, '[cef][agent][zone][uri]'),
    f('applicationProtocol', 'app', '[network][protocol]'),
    f('baseEventCount', 'cnt', '[cef][base_event_count]'),
    f('bytesIn', 'in', '[source][bytes]'),
    f('bytesOut', 'out', '[destination][bytes]'),
    f('categoryDeviceType', 'catdt', '[cef][device_type]'),
    f('customerExternalID', undefined, '[organization][id]'),
    f('customerURI', undefined, '[organization][name]'),
    f('destinationAddress', 'dst', '[destination][ip]'),
    f('destinationDnsDomain', undefined, '[destination][registered_domain]', { preferred: true }),
    f('destinationGeoLatitude', 'dlat', '[destination][geo][location][lat]'),
    f('destinationGeoLongitude', 'dlong', '[destination][geo][location][lon]'),
    f('destinationHostName', 'dhost', '[destination][domain]'),
    f('destinationMacAddress', 'dmac', '[destination][mac]'),
    f('destinationNtDomain', 'dntdom', '[destination][registered_domain]'),
    f('destinationPort', 'dpt', '[destination][port]'),
    f('destinationProcessId', 'dpid', '[destination][process][pid]'),
    f('destinationProcessName', 'dproc', '[destination][process][name]'),
    f('destinationServiceName', undefined, '[destination][service][name]'),
    f('destinationTranslatedAddress', undefined, '[destination][nat][ip]'),
    f('destinationTranslatedPort', undefined, '[destination][nat][port]'),
    f('destinationTranslatedZoneExternalID', undefined, '[cef][destination][translated_zone][external_id]'),
    f('destinationTranslatedZoneURI', undefined, '[cef][destination][translated_zone][uri]'),
    f('destinationUserId', 'duid', '[destination][user][id]'),
    f('destinationUserName', 'duser', '[destination][user][name]'),
    f('destinationUserPrivileges', 'dpriv', '[destination][user][group][name]'),
    f('destinationZoneExternalID', undefined, '[cef][destination][zone][external_id]'),
    f('destinationZoneURI', undefined, '[cef][destination][zone][uri]'),
    f('deviceAction', 'act', '[event][action]'),
    f('deviceAddress', 'dvc', `[${device}][ip]`),
    f('deviceDirection', undefined, '[network][direction]'),
    f('deviceDnsDomain', undefined, `[${device}][registered_domain]`, { preferred: true }),
    f('deviceEventCategory', 'cat', '[cef][category]'),
    f('deviceExternalId', undefined, onHost ? '[host][id]' : '[observer][name]'),
    f('deviceFacility', undefined, '[log][syslog][facility][code]'),
    f('deviceHostName', 'dvchost', onHost ? '[host][name]' : '[observer][hostname]'),
    f('deviceInboundInterface', undefined, '[observer][ingress][interface][name]'),
    f('deviceMacAddress', 'dvcmac', `[${device}][mac]`),
    f('deviceNtDomain', undefined, '[cef][nt_domain]'),
    f('deviceOutboundInterface', undefined, '[observer][egress][interface][name]'),
    f('devicePayloadId', undefined, '[cef][payload_id]'),
    f('deviceProcessId', 'dvcpid', '[process][pid]'),
    f('deviceProcessName', undefined, '[process][name]'),
    f('deviceReceiptTime', 'rt', '@timestamp', { time: true }),
    f('deviceTimeZone', 'dtz', '[event][timezone]'),
    f('deviceTranslatedAddress', undefined, '[host][nat][ip]'),
    f('deviceTranslatedZoneExternalID', undefined, '[cef][translated_zone][external_id]'),
    f('deviceTranslatedZoneURI', undefined, '[cef][translated_zone][uri]'),
    f('deviceVersion', undefined, '[observer][version]'),
    f('deviceZoneExternalID', undefined, '[cef][zone][external_id]'),
    f('deviceZoneURI', undefined, '[cef][zone][uri]'),
    f('endTime', 'end', '[event][end]', { time: true }),
    f('eventId', undefined, '[event][id]'),
    f('eventOutcome', 'outcome', '[event][outcome]'),
    f('externalId', undefined, '[cef][external_id]'),
    f('fileCreateTime', undefined, '[file][created]'),
    f('fileHash', undefined, '[file][hash]'),
    f('fileId', undefined, '[file][inode]'),
    f('fileModificationTime', undefined, '[file][mtime]', { time: true }),
    f('fileName', 'fname', '[file][name]'),
    f('filePath', undefined, '[file][path]'),
    f('filePermission', undefined, '[file][group]'),
    f('fileSize', 'fsize', '[file][size]'),
    f('fileType', undefined, '[file][extension]'),
    f('managerReceiptTime', 'mrt', '[event][ingested]', { time: true }),
    f('message', 'msg', '[message]'),
    f('oldFileCreateTime', undefined, '[cef][old_file][created]', { time: true }),
    f('oldFileHash', undefined, '[cef][old_file][hash]'),
    f('oldFileId', undefined, '[cef][old_file][inode]'),
    f('oldFileModificationTime', undefined, '[cef][old_file][mtime]', { time: true }),
    f('oldFileName', undefined, '[cef][old_file][name]'),
    f('oldFilePath', undefined, '[cef][old_file][path]'),
    f('oldFilePermission', undefined, '[cef][old_file][group]'),
    f('oldFileSize', undefined, '[cef][old_file][size]'),
    f('oldFileType', undefined, '[cef][old_file][extension]'),
    f('rawEvent', undefined, '[event][original]'),
    f('Reason', 'reason', '[event][reason]'),
    f('requestClientApplication', undefined, '[user_agent][original]'),
    f('requestContext', undefined, '[http][request][referrer]'),
    f('requestCookies', undefined, '[cef][request][cookies]'),
    f('requestMethod', undefined, '[http][request][method]'),
    f('requestUrl', 'request', '[url][original]'),
    f('sourceAddress', 'src', '[source][ip]'),
    f('sourceDnsDomain', undefined, '[source][registered_domain]', { preferred: true }),
    f('sourceGeoLatitude', 'slat', '[source][geo][location][lat]'),
    f('sourceGeoLongitude', 'slong', '[source][geo][location][lon]'),
    f('sourceHostName', 'shost', '[source][domain]'),
    f('sourceMacAddress', 'smac', '[source][mac]'),
    f('sourceNtDomain', 'sntdom', '[source][registered_domain]'),
    f('sourcePort', 'spt', '[source][port]'),
    f('sourceProcessId', 'spid', '[source][process][pid]'),
    f('sourceProcessName', 'sproc', '[source][process][name]'),
    f('sourceServiceName', undefined, '[source][service][name]'),
    f('sourceTranslatedAddress', undefined, '[source][nat][ip]'),
    f('sourceTranslatedPort', undefined, '[source][nat][port]'),
    f('sourceTranslatedZoneExternalID', undefined, '[cef][source][translated_zone][external_id]'),
    f('sourceTranslatedZoneURI', undefined, '[cef][source][translated_zone][uri]'),
    f('sourceUserId', 'suid', '[source][user][id]'),
    f('sourceUserName', 'suser', '[source][user][name]'),
    f('sourceUserPrivileges', 'spriv', '[source][user][group][name]'),
    f('sourceZoneExternalID', undefined, '[cef][source][zone][external_id]'),
    f('sourceZoneURI', undefined, '[cef][source][zone][uri]'),
    f('startTime', 'start', '[event][start]', { time: true }),
    f('transportProtocol', 'proto', '[network][transport]'),
    f('type', undefined, '[cef][type]'),
  ];
  // The numbered custom fields, 1 to 15 each, with their labels.
  const custom: [string, string, string][] = [
    ['deviceCustomFloatingPoint', 'cfp', 'device_custom_floating_point'],
    ['deviceCustomIPv6Address', 'c6a', 'device_custom_ipv6_address'],
    ['deviceCustomNumber', 'cn', 'device_custom_number'],
    ['deviceCustomString', 'cs', 'device_custom_string'],
  ];
  for (const [name, key, ecs] of custom) {
    for (let i = 1; i <= 15; i++) {
      fields.push(f(`${name}${i}`, `${key}${i}`, `[cef][${ecs}_${i}][value]`), f(`${name}${i}Label`, `${key}${i}Label`, `[cef][${ecs}_${i}][label]`));
    }
  }
  return fields;
}

export interface CefEcsMapping {
  /** CEF short key or CEF name → ECS field (decode). */
  decode: ReadonlyMap<string, string>;
  /** ECS field or CEF name → the extension key to write: the CEF name, or with reverse_mapping the short key. */
  encode: ReadonlyMap<string, string>;
  /** ECS fields holding times (parsed to timestamps on decode). */
  times: ReadonlySet<string>;
}

export function cefEcsMapping(device: CefDevice, reverseMapping: boolean): CefEcsMapping {
  const decode = new Map<string, string>();
  const encode = new Map<string, string>();
  const times = new Set<string>();
  for (const field of extensionFields(device)) {
    decode.set(field.name, field.ecs);
    if (field.key) decode.set(field.key, field.ecs);
    const written = reverseMapping ? field.key ?? field.name : field.name;
    if (field.preferred || !encode.has(field.ecs)) encode.set(field.ecs, written);
    encode.set(field.name, written);
    if (field.time) times.add(field.ecs);
  }
  return { decode, encode, times };
}
