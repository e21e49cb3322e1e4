/**
 * xml: parses XML from a field — into a hash (`store_xml`, XmlSimple's rules: simple.ts) and/or
 * by XPath expressions into fields (lists of strings). Mirrors logstash-filter-xml 4.2 on the
 * @xmldom/xmldom parser and the xpath package. Text that is not well-formed XML is tagged
 * `_xmlparsefailure` and the event goes on.
 */
import { DOMParser, XMLSerializer, type Node as XmlDomNode } from '@xmldom/xmldom';
import * as xpath from 'xpath';
import { ConfigError } from '../../../core/errors.js';
import { fieldRef } from '../../../core/fieldref.js';
import { rateLimitedWarn } from '../../../core/rate-limit.js';
import { defineFilter } from '../../api.js';
import { elementToValue, type SimpleOptions, type XmlNode } from './simple.js';

const PARSE_FAILURE_TAG = '_xmlparsefailure';

export const xmlFilter = defineFilter({
  kind: 'filter',
  name: 'xml',
  description: 'Parses XML into a hash and/or extracts values by XPath.',
  options: {
    source: { type: 'field_reference', required: true, description: 'Field holding the XML text.' },
    target: { type: 'field_reference', description: 'Where the parsed hash goes (required with store_xml).' },
    store_xml: { type: 'boolean', default: true, description: 'Store the whole document, as a hash, in target.' },
    xpath: { type: 'hash', default: {}, description: 'XPath expression → field: the matches are stored as a list of strings.' },
    namespaces: { type: 'hash', default: {}, description: 'Prefix → namespace URI, for the XPath expressions.' },
    remove_namespaces: { type: 'boolean', default: false, description: 'Drop namespace prefixes from names (and match XPath without them).' },
    force_array: { type: 'boolean', default: true, description: 'Child elements are always lists (false: a single child is not wrapped).' },
    force_content: { type: 'boolean', default: false, description: 'Text-only elements become { content => text } instead of the text.' },
    suppress_empty: { type: 'boolean', default: true, description: 'Leave out empty elements (false: they become {}).' },
    parse_options: { type: 'string', default: '', description: 'Accepted: "strict" is how this parser always reads (malformed XML fails).' },
  },
  create(options, ctx) {
    if (options.store_xml && options.target === undefined) {
      throw new ConfigError('xml: store_xml => true needs a target (or set store_xml => false and use xpath)', ctx.location);
    }
    const source = fieldRef(options.source);
    const target = options.target !== undefined ? fieldRef(options.target) : undefined;
    const simple: SimpleOptions = {
      forceArray: options.force_array,
      forceContent: options.force_content,
      suppressEmpty: options.suppress_empty,
      removeNamespaces: options.remove_namespaces,
    };
    const namespaces = Object.fromEntries(Object.entries(options.namespaces as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    const select = xpath.useNamespaces(namespaces);
    const probe = new DOMParser().parseFromString('<probe/>', 'text/xml') as unknown as Node;
    const expressions = Object.entries(options.xpath as Record<string, unknown>).map(([expr, field]) => {
      try {
        select(expr, probe); // a syntax error surfaces here, at start
      } catch (err) {
        throw new ConfigError(`xml: invalid XPath expression "${expr}": ${(err as Error).message}`, ctx.location);
      }
      return { expr, field: fieldRef(String(field)) };
    });
    const serializer = new XMLSerializer();
    const limited = rateLimitedWarn(ctx.logger);
    const warn = (message: string, fields: Record<string, unknown>): void => limited(message, message, fields);
    const text = (node: unknown): string => {
      if (typeof node !== 'object' || node === null) return String(node);
      const n = node as { nodeType: number; nodeValue: string | null; value?: string };
      if (n.nodeType === 2) return n.value ?? '';
      if (n.nodeType === 3 || n.nodeType === 4) return n.nodeValue ?? '';
      return serializer.serializeToString(node as XmlDomNode);
    };
    return {
      filter(event) {
        const value = source.get(event);
        if (value === undefined || value === null) return false;
        const xml = Array.isArray(value) ? value.map(String).join('') : String(value);
        if (xml.trim() === '') return false;
        let doc: Document;
        try {
          doc = new DOMParser().parseFromString(options.remove_namespaces ? stripPrefixes(xml) : xml, 'text/xml') as unknown as Document;
          if (!doc.documentElement) throw new Error('no root element');
        } catch (err) {
          event.tag(PARSE_FAILURE_TAG);
          warn('xml: could not parse the XML', { error: (err as Error).message });
          return false;
        }
        let matched = false;
        for (const { expr, field } of expressions) {
          let result: unknown;
          try {
            result = select(expr, doc as unknown as Node);
          } catch (err) {
            warn('xml: XPath evaluation failed', { xpath: expr, error: (err as Error).message });
            continue;
          }
          const values = Array.isArray(result) ? result : [result];
          if (values.length === 0) continue;
          const existing = field.get(event);
          const list = Array.isArray(existing) ? existing : existing === undefined ? [] : [existing];
          for (const v of values) list.push(text(v));
          field.set(event, list);
          matched = true;
        }
        if (target) {
          const converted = elementToValue(doc.documentElement as unknown as XmlNode, simple);
          if (converted !== undefined) target.set(event, converted);
          matched = true;
        }
        return matched;
      },
    };
  },
});

/** Element and attribute names without their prefix, and no namespace declarations: remove_namespaces. */
function stripPrefixes(xml: string): string {
  return xml
    .replace(/\s+xmlns(?::[\w.-]+)?\s*=\s*("[^"]*"|'[^']*')/g, '')
    .replace(/(<\/?)[\w.-]+:/g, '$1')
    .replace(/(\s)[\w.-]+:([\w.-]+\s*=)/g, '$1$2');
}
