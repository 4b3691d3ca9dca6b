/**
 * Structural mutations of our own well-formed documents for the property-based tests: drop, duplicate or rename
 * an element, replace its text (raw: the replacement is inserted as given, so it may break well-formedness on
 * purpose), truncate the document, or insert stray characters.
 */
export type Node = { name: string; children: Node[] } | { name: string; text: string };

/** A small tree view of our own well-formed documents (no attributes but the root's namespace). */
export function toTree(xml: string): Node {
  const tokens = xml.match(/<[^>]+>|[^<]+/g) ?? [];
  const stack: { name: string; children: Node[] }[] = [{ name: "#root", children: [] }];
  let text: string | null = null;
  for (const t of tokens) {
    if (t.startsWith("</")) {
      const done = stack.pop();
      const parent = stack[stack.length - 1];
      if (done === undefined || parent === undefined) throw new Error("unbalanced");
      parent.children.push(done.children.length === 0 && text !== null ? { name: done.name, text } : done);
      text = null;
    } else if (t.startsWith("<")) {
      stack.push({ name: t.slice(1, -1).split(" ")[0] ?? "", children: [] });
      text = "";
    } else {
      text = t;
    }
  }
  const root = stack[0]?.children[0];
  if (root === undefined) throw new Error("empty");
  return root;
}

const NS = ' xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"';
export function toXml(n: Node, root = true): string {
  const open = `<${n.name}${root ? NS : ""}>`;
  return "text" in n
    ? `${open}${n.text}</${n.name}>`
    : `${open}${n.children.map((c) => toXml(c, false)).join("")}</${n.name}>`;
}

/** Every node but the root, by path of child indexes. */
function paths(n: Node, at: number[] = []): number[][] {
  if ("text" in n) return [];
  return n.children.flatMap((c, i) => [[...at, i], ...paths(c, [...at, i])]);
}

export type Mutation =
  | { op: "drop" | "duplicate"; pick: number }
  | { op: "rename"; pick: number; name: string }
  | { op: "text"; pick: number; text: string }
  | { op: "truncate"; at: number }
  | { op: "insert"; at: number; chars: string };

export function mutate(xml: string, m: Mutation): string {
  if (m.op === "truncate") return xml.slice(0, m.at % xml.length);
  if (m.op === "insert") {
    const at = m.at % xml.length;
    return xml.slice(0, at) + m.chars + xml.slice(at);
  }
  const tree = toTree(xml);
  const all = paths(tree);
  const path = all[m.pick % all.length] ?? [];
  const parent = path.slice(0, -1).reduce<Node>((n, i) => ("children" in n ? (n.children[i] ?? n) : n), tree);
  const index = path[path.length - 1] ?? 0;
  if (!("children" in parent)) return xml;
  const target = parent.children[index];
  if (target === undefined) return xml;
  switch (m.op) {
    case "drop":
      parent.children.splice(index, 1);
      break;
    case "duplicate":
      parent.children.splice(index, 0, structuredClone(target));
      break;
    case "rename":
      parent.children[index] = { ...target, name: m.name };
      break;
    case "text":
      parent.children[index] = { name: target.name, text: m.text };
      break;
    default:
      return m satisfies never;
  }
  return toXml(tree);
}
