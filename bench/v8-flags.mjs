/**
 * `node bench/v8-flags.mjs <flag>...`: copies a workerd config (the binary Cap'n Proto message Miniflare writes to
 * workerd's stdin) from stdin to stdout with `Config.v8Flags` set to the flags given. Miniflare has no option for
 * V8 flags, and bench:instructions needs one (bench/callgrind.ts): under valgrind, V8's concurrent compiler threads
 * never get their optimised code installed, so a worker's JavaScript would be priced in its baseline tier while at
 * real speed it runs optimised (bench/README.md, "Session 6").
 *
 * The flags go in a segment of their own, reached through a far pointer from the root struct's v8Flags slot
 * (pointer 2 of `Config` in workerd.capnp), so nothing Miniflare wrote moves. A config that already has flags, or
 * whose root is not a struct with that slot, is refused rather than guessed at.
 */
const V8_FLAGS_POINTER = 2;

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
process.stdout.write(withV8Flags(Buffer.concat(chunks), process.argv.slice(2)));

/**
 * @param {Buffer} message a Cap'n Proto message in the standard stream framing
 * @param {string[]} flags
 * @returns {Buffer}
 */
function withV8Flags(message, flags) {
  const segments = message.readUInt32LE(0) + 1;
  const tableBytes = (4 + 4 * segments + 7) & ~7;
  const sizes = [];
  for (let i = 0; i < segments; i++) sizes.push(message.readUInt32LE(4 + 4 * i));
  const body = message.subarray(tableBytes);
  // The root pointer (word 0 of segment 0) must be a struct pointer with room for the v8Flags slot.
  const root = body.readBigUInt64LE(0);
  if ((root & 3n) !== 0n) throw new Error("v8-flags: the config's root is not a struct");
  const offset = Number(BigInt.asIntN(30, (root >> 2n) & 0x3fffffffn));
  const dataWords = Number((root >> 32n) & 0xffffn);
  const pointerWords = Number((root >> 48n) & 0xffffn);
  if (pointerWords <= V8_FLAGS_POINTER) throw new Error("v8-flags: the config has no v8Flags slot");
  const slot = (1 + offset + dataWords + V8_FLAGS_POINTER) * 8;
  if (body.readBigUInt64LE(slot) !== 0n) throw new Error("v8-flags: the config already has V8 flags");

  // The new segment: a landing pad (a list pointer to the next words), one pointer per flag, then the texts.
  const texts = flags.map((f) => Buffer.from(`${f}\0`, "utf8"));
  const textWords = texts.map((t) => Math.ceil(t.length / 8));
  const words = 1 + flags.length + textWords.reduce((a, b) => a + b, 0);
  const segment = Buffer.alloc(words * 8);
  segment.writeBigUInt64LE(listPointer(0, 6, flags.length), 0);
  let at = 1 + flags.length;
  texts.forEach((text, i) => {
    const pointerAt = 1 + i;
    segment.writeBigUInt64LE(listPointer(at - (pointerAt + 1), 2, text.length), pointerAt * 8);
    text.copy(segment, at * 8);
    at += textWords[i] ?? 0;
  });
  // The slot becomes a far pointer to the landing pad (word 0 of the new segment).
  const patched = Buffer.from(body);
  patched.writeBigUInt64LE((BigInt(segments) << 32n) | 2n, slot);

  const count = segments + 1;
  const table = Buffer.alloc((4 + 4 * count + 7) & ~7);
  table.writeUInt32LE(count - 1, 0);
  [...sizes, words].forEach((size, i) => {
    table.writeUInt32LE(size, 4 + 4 * i);
  });
  return Buffer.concat([table, patched, segment]);
}

/**
 * A list pointer `offset` words past its own end, of `count` elements of size class `size` (2: bytes, 6: pointers).
 * @param {number} offset
 * @param {number} size
 * @param {number} count
 */
function listPointer(offset, size, count) {
  return (BigInt(count) << 35n) | (BigInt(size) << 32n) | (BigInt.asUintN(30, BigInt(offset)) << 2n) | 1n;
}
