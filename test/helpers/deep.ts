/** `{"a":{"a":...1}}` with `depth` objects, built without recursion (for depth-limit tests). */
export function nested(depth: number): Record<string, unknown> {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v as Record<string, unknown>;
}

/** The same as JSON text. */
export function nestedText(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}
