/**
 * An XML element as a hash, with the rules of Ruby's XmlSimple that Logstash's xml filter
 * (`store_xml`) relies on: attributes become keys with string values; child elements become keys
 * whose values are lists of converted children (`forceArray`; else a single child is not wrapped);
 * text of an element with neither attributes nor children is the plain string (`forceContent`
 * wraps it as `{ content: text }`), and text beside attributes or children goes in `content`;
 * whitespace-only text is ignored; an empty element is `{}`, or left out with `suppressEmpty`.
 */
export interface SimpleOptions {
  forceArray: boolean;
  forceContent: boolean;
  suppressEmpty: boolean;
  removeNamespaces: boolean;
}

/** The DOM subset we read (xmldom's nodes). */
export interface XmlNode {
  nodeType: number;
  nodeName: string;
  localName?: string | null;
  nodeValue: string | null;
  childNodes: ArrayLike<XmlNode>;
  attributes?: ArrayLike<{ name: string; localName?: string | null; value: string }>;
}

const ELEMENT = 1;
const TEXT = 3;
const CDATA = 4;

/** Converted element: undefined when it is empty and suppressEmpty is set. */
export function elementToValue(element: XmlNode, o: SimpleOptions): unknown {
  const name = (n: { nodeName?: string; name?: string; localName?: string | null }): string =>
    o.removeNamespaces ? (n.localName ?? (n.nodeName ?? n.name ?? '').replace(/^[^:]*:/, '')) : (n.nodeName ?? n.name ?? '');
  const hash: Record<string, unknown> = {};
  /** Lists made for a repeated child (without forceArray a single child is not a list; a value that is a list stays one value). */
  const repeated = new Set<string>();
  let keys = 0;
  const attributes = element.attributes ?? [];
  for (let i = 0; i < attributes.length; i++) {
    const a = attributes[i]!;
    // Namespace declarations are not data (XmlSimple keeps them; Logstash users never want them).
    if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) continue;
    hash[name(a)] = a.value;
    keys++;
  }
  let text = '';
  const children = element.childNodes;
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    if (child.nodeType === TEXT || child.nodeType === CDATA) {
      text += child.nodeValue ?? '';
      continue;
    }
    if (child.nodeType !== ELEMENT) continue;
    const value = elementToValue(child, o);
    if (value === undefined) continue;
    const key = name(child);
    const existing = hash[key];
    if (existing === undefined) {
      hash[key] = o.forceArray ? [value] : value;
      keys++;
    } else if (o.forceArray || repeated.has(key)) (existing as unknown[]).push(value);
    else {
      hash[key] = [existing, value];
      repeated.add(key);
    }
  }
  const hasText = text.trim() !== '';
  if (keys === 0) {
    if (hasText) return o.forceContent ? { content: text } : text;
    return o.suppressEmpty ? undefined : {};
  }
  if (hasText) hash['content'] = text;
  return hash;
}
