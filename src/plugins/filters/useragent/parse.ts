/**
 * User-agent parsing with ua-parser-js 2 (plus its bot/CLI/library
 * extensions), mapped onto the names uap-core (which Logstash uses) gives:
 * family names, "Other" for anything unknown, and version parts.
 */
import { UAParser } from 'ua-parser-js';
import { Bots, CLIs, Crawlers, Fetchers, Libraries } from 'ua-parser-js/extensions';

export interface ParsedUserAgent {
  name: string;
  /** Full version, e.g. "26.0.1410.63". */
  version?: string;
  major?: string;
  minor?: string;
  patch?: string;
  os: {
    name: string;
    version?: string;
    major?: string;
    minor?: string;
    patch?: string;
  };
  device: string;
}

/** ua-parser-js names that uap-core spells differently (the common ones). */
const BROWSER_NAMES: Record<string, string> = {
  'Mobile Chrome': 'Chrome Mobile',
  'Mobile Firefox': 'Firefox Mobile',
  'Chrome WebView': 'Chrome Mobile WebView',
};
const OS_NAMES: Record<string, string> = {
  macOS: 'Mac OS X',
};

/** ua-parser-js reports the CPU as the Linux "version" ("Linux i686"); uap-core gives none. */
const CPU_AS_VERSION = /^(?:i[3-6]86|x86_64|x64|amd64|aarch64|arm\w*|ppc\w*|mips\w*|sparc\w*)$/i;

function splitVersion(version: string | undefined): [string?, string?, string?] {
  if (!version) return [];
  const parts = version.split('.');
  return [parts[0] || undefined, parts[1] || undefined, parts[2] || undefined];
}

function deviceName(vendor: string | undefined, model: string | undefined): string {
  if (!model) return 'Other';
  if (model === 'Macintosh') return 'Mac';
  if (!vendor || vendor === 'Apple' || model.startsWith(vendor)) return model;
  return `${vendor} ${model}`;
}

export class UserAgentParser {
  // The library accepts a list of extension sets; its typings only admit one set.
  private readonly parser = new UAParser([Bots, CLIs, Crawlers, Fetchers, Libraries] as never);

  parse(ua: string): ParsedUserAgent {
    const p = this.parser.setUA(ua);
    const browser = p.getBrowser();
    const os = p.getOS();
    const device = p.getDevice();

    const name = browser.name ? (BROWSER_NAMES[browser.name] ?? browser.name) : 'Other';
    const [major, minor, patch] = splitVersion(browser.version);
    const osVersion = os.version && !CPU_AS_VERSION.test(os.version) ? os.version : undefined;
    const [osMajor, osMinor, osPatch] = splitVersion(osVersion);
    const result: ParsedUserAgent = {
      name,
      os: { name: os.name ? (OS_NAMES[os.name] ?? os.name) : 'Other' },
      device: deviceName(device.vendor, device.model),
    };
    if (major !== undefined) {
      result.version = browser.version!;
      result.major = major;
      if (minor !== undefined) result.minor = minor;
      if (patch !== undefined) result.patch = patch;
    }
    if (osMajor !== undefined) {
      result.os.version = osVersion!;
      result.os.major = osMajor;
      if (osMinor !== undefined) result.os.minor = osMinor;
      if (osPatch !== undefined) result.os.patch = osPatch;
    }
    return result;
  }
}
