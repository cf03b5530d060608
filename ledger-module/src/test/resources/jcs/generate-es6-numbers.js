// Regenerates es6-numbers.csv: node generate-es6-numbers.js > es6-numbers.csv
// Each line: "<16 hex digits of the IEEE 754 bits>,<JSON.stringify of the value>".
const out = [];
let s = 0x2545F4914F6CDD1Dn;
function next() { s ^= s << 13n; s &= (1n << 64n) - 1n; s ^= s >> 7n; s ^= s << 17n; s &= (1n << 64n) - 1n; return s; }
const buf = Buffer.alloc(8);
function add(x) {
  if (!isFinite(x)) return;
  buf.writeDoubleBE(x); out.push(buf.toString('hex') + ',' + JSON.stringify(x));
}
function fromBits(b) { buf.writeBigUInt64BE(b); return buf.readDoubleBE(0); }
for (let i = 0; i < 1500; i++) add(fromBits(next()));                       // any bit pattern
for (let i = 0; i < 800; i++) {                                              // short decimals, like clinical values
  const r = Number(next() % 1000000n), d = Number(next() % 8n), e = Number(next() % 3n);
  add((e === 0 ? 1 : -1) * r / 10 ** d);
}
for (let i = 0; i < 400; i++) add(fromBits(next() % (1n << 52n)));          // subnormals
for (let i = 0; i < 400; i++) {                                              // near the exponent thresholds
  const p = [-7, -6, 20, 21, 22][Number(next() % 5n)];
  const m = 1 + Number(next() % 1000n) / 1000;
  add(m * 10 ** p);
}
for (let i = 0; i < 300; i++) add(2 ** 53 + Number(next() % 2000n) - 1000);  // around 2^53
for (let i = 0; i < 600; i++) {                                              // binary fractions: many ties
  const n = 1e13 + Number(next() % 9000000000000000n), f = Number(next() % 8n) / 8;
  add((i & 1 ? -1 : 1) * (n + f));
}
for (let e = -325; e <= 308; e++) { add(Number('1e' + e)); add(Number('9.999999999999999e' + e)); }
for (let e = -1074; e <= 1023; e += 7) { add(2 ** e); add(-(2 ** e)); }
process.stdout.write(out.join('\n') + '\n');
