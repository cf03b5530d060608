// Regenerates the case files: node generate-cases.js . (expected values come from Node's JSON.stringify)
const fs = require('fs'), path = require('path');
const root = process.argv[2];
function jcs(v) {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'number' && !isFinite(v)) throw new Error('non-finite');
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return '[' + v.map(jcs).join(',') + ']';
  return '{' + Object.keys(v).sort().map(k => JSON.stringify(k) + ':' + jcs(v[k])).join(',') + '}';
}
function bits(x) { const b = Buffer.alloc(8); b.writeDoubleBE(x); return b.toString('hex'); }
function exactDecimal(x) {
  // |x| >= 1 with a binary fraction: integer part and fraction digits from BigInt arithmetic
  const b = BigInt('0x' + bits(x)), e = Number((b >> 52n) & 0x7ffn) - 1075, m = (b & ((1n << 52n) - 1n)) | (1n << 52n);
  const sign = b >> 63n ? '-' : '', den = 1n << BigInt(-e);
  const ip = m / den, frac = ((m % den) * 10n ** BigInt(-e)) / den;
  return sign + ip + '.' + frac.toString().padStart(-e, '0').replace(/0+$/, '');
}
function fromBits(h) { return Buffer.from(h, 'hex').readDoubleBE(0); }
const files = {};
function ok(file, desc, input, extra = {}) {
  const expected = jcs(JSON.parse(input));
  if (extra.expected !== undefined && extra.expected !== expected)
    throw new Error(file + ': oracle ' + expected + ' != stated ' + extra.expected);
  const c = { desc, input };
  if (extra.ieee754) {
    if (bits(JSON.parse(input)) !== extra.ieee754) throw new Error(file + ' bits');
    c.ieee754 = extra.ieee754;
  }
  c.expected = expected;
  files[file] = c;
}
function bad(file, desc, input, jsonParseRejects) {
  let threw = false;
  try { JSON.parse(input); } catch (e) { threw = true; }
  if (threw !== jsonParseRejects) throw new Error(file + ': JSON.parse threw=' + threw);
  files[file] = { desc, input, wantErr: true };
}

// RFC 8785 examples
ok('rfc8785/section-3.2.2-sample.json', 'RFC 8785 §3.2.2 sample: whitespace, number, string and literal serialization',
  '{\n  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n  "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",\n  "literals": [null, true, false]\n}',
  { expected: '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}' });
ok('rfc8785/section-3.2.3-sorting.json', 'RFC 8785 §3.2.3 sample: members sorted by UTF-16 code units, emoji (surrogate pair) before U+FB33',
  '{\n  "\\u20ac": "Euro Sign",\n  "\\r": "Carriage Return",\n  "\\ufb33": "Hebrew Letter Dalet With Dagesh",\n  "1": "One",\n  "\\ud83d\\ude00": "Emoji: Grinning Face",\n  "\\u0080": "Control",\n  "\\u00f6": "Latin Small Letter O With Diaeresis"\n}',
  { expected: '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}' });

// RFC 8785 Appendix B, input spelled with 17 significant digits so the parser is exercised too
const appendixB = [
  ['0000000000000000', '0', 'zero'], ['8000000000000000', '0', 'minus zero'],
  ['0000000000000001', '5e-324', 'min pos number'], ['8000000000000001', '-5e-324', 'min neg number'],
  ['7fefffffffffffff', '1.7976931348623157e+308', 'max pos number'], ['ffefffffffffffff', '-1.7976931348623157e+308', 'max neg number'],
  ['4340000000000000', '9007199254740992', 'max pos int'], ['c340000000000000', '-9007199254740992', 'max neg int'],
  ['4430000000000000', '295147905179352830000', '~2**68'],
  ['44b52d02c7e14af5', '9.999999999999997e+22', ''], ['44b52d02c7e14af6', '1e+23', ''], ['44b52d02c7e14af7', '1.0000000000000001e+23', ''],
  ['444b1ae4d6e2ef4e', '999999999999999700000', ''], ['444b1ae4d6e2ef4f', '999999999999999900000', ''], ['444b1ae4d6e2ef50', '1e+21', ''],
  ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7', ''], ['3eb0c6f7a0b5ed8d', '0.000001', ''],
  ['41b3de4355555553', '333333333.3333332', ''], ['41b3de4355555554', '333333333.33333325', ''], ['41b3de4355555555', '333333333.3333333', ''],
  ['41b3de4355555556', '333333333.3333334', ''], ['41b3de4355555557', '333333333.33333343', ''],
  ['becbf647612f3696', '-0.0000033333333333333333', ''], ['43143ff3c1cb0959', '1424953923781206.2', 'round to even'],
];
for (const [h, want, note] of appendixB) {
  const x = fromBits(h);
  let input = Object.is(x, -0) ? '-0.0' : x.toPrecision(17);
  ok(`numbers/appendix-b-${h}.json`, `RFC 8785 Appendix B: ${h} -> ${want}${note ? ' (' + note + ')' : ''}`, input, { ieee754: h, expected: want });
}
bad('numbers/appendix-b-7ff0000000000000.json', 'RFC 8785 Appendix B: Infinity (7ff0000000000000) is an error; JSON spells it as an overflowing literal', '1e309', false);
bad('numbers/overflow-negative.json', 'negative overflow to -Infinity is an error', '-1.8e308', false);
bad('numbers/overflow-long-integer.json', 'an integer literal of 310 digits overflows the double range', '1' + '0'.repeat(309), false);

const numbers = [
  ['threshold-1e21', '1e21 is the first value printed with an exponent', '1e21', '1e+21'],
  ['threshold-1e20', '1e20 still prints as an integer', '1e20', '100000000000000000000'],
  ['integer-with-exponent', '123e18 prints as an integer with trailing zeroes', '123e18'],
  ['uppercase-exponent', '1E30 from the RFC sample', '1E30', '1e+30'],
  ['trailing-zero-fraction', '4.50: the trailing zero goes', '4.50', '4.5'],
  ['fhir-decimal-precision', 'a FHIR decimal 13.20 canonicalizes to 13.2: JCS binds the value, not the precision', '13.20', '13.2'],
  ['fhir-decimal-integral', 'a FHIR decimal 100.0 canonicalizes to 100', '100.0', '100'],
  ['small-fraction', '2e-3', '2e-3', '0.002'],
  ['threshold-1e-6', '0.000001 is the smallest value printed without exponent', '0.000001', '0.000001'],
  ['threshold-1e-7', '1e-7 is printed with an exponent', '1e-7', '1e-7'],
  ['threshold-negative-1e-7', '-1e-7', '-0.0000001', '-1e-7'],
  ['fraction-with-exponent', '1.5e-7 keeps its fraction', '0.00000015', '1.5e-7'],
  ['fraction-above-threshold', '2.5e-5 prints in plain notation', '2.5e-5', '0.000025'],
  ['explicit-plus-exponent', 'an explicit plus sign in the exponent', '1e+2', '100'],
  ['zero-padded-exponent', 'leading zeroes in the exponent', '1e0000000000000000002', '100'],
  ['minus-zero', '-0 serializes as 0', '-0', '0'],
  ['minus-zero-fraction', '-0.0e5 serializes as 0', '-0.0e5', '0'],
  ['underflow-to-zero', '1e-400 underflows to 0 exactly as JSON.parse does', '1e-400', '0'],
  ['max-safe-integer-plus-one', '9007199254740993 is not a double; it reads as 9007199254740992 (ties to even)', '9007199254740993', '9007199254740992'],
  ['above-max-safe-integer', '9007199254740995 reads as 9007199254740996 (ties to even)', '9007199254740995', '9007199254740996'],
  ['max-safe-integer-minus-one', '9007199254740991 (2^53 - 1) is exact', '9007199254740991', '9007199254740991'],
  ['uint64-max', '2^64 - 1 prints with its shortest digits padded by zeroes', '18446744073709551615', '18446744073709552000'],
  ['point-one-plus-point-two', '0.30000000000000004 needs all 17 digits', '0.30000000000000004', '0.30000000000000004'],
  ['shortest-not-seventeen', '0.1 spelled with 17 digits prints as 0.1', '0.10000000000000001', '0.1'],
  ['exponent-mantissa-fraction', '1.2345e-10', '1.2345e-10', '1.2345e-10'],
  ['large-exponent', '1.5e300', '15e299', '1.5e+300'],
  ['twenty-one-digits', '123456789012345678901 has 21 integer digits', '123456789012345678901', '123456789012345680000'],
  ['negative-fraction', '-1.5', '-1.50', '-1.5'],
];
for (const [f, d, i, w] of numbers) ok(`numbers/${f}.json`, d, i, { expected: w });
// exact ties between the two shortest candidates: the even digit wins (ECMA-262 Number::toString)
for (const h of ['c2d4525e7fffdd18', '43006a48cefd24ae', 'c2b866caca40ad50', 'c30d5a455d56eb5a']) {
  const x = fromBits(h);
  ok(`numbers/tie-to-even-${h}.json`, `exact value ${exactDecimal(x)} lies halfway between two shortest candidates: the even one wins`, x.toPrecision(17), { ieee754: h });
}

// strings
ok('strings/short-escapes.json', 'the five controls with short escapes keep them; \\/ becomes /', '"\\b\\f\\n\\r\\t\\/"');
ok('strings/control-escapes-lowercase.json', 'other controls below U+0020 become \\u00xx in lowercase hex', '"\\u0000\\u0001\\u001F\\u000b\\u001e"');
ok('strings/del-and-c1-literal.json', 'U+007F and C1 controls are not escaped', '"\\u007f\\u0080\\u009F"');
ok('strings/line-separators-literal.json', 'U+2028 and U+2029 are not escaped', '"\\u2028\\u2029"');
ok('strings/quote-and-backslash.json', 'quote and backslash are the only printable characters escaped', '"\\u0022\\u005C\\"\\\\"');
ok('strings/uppercase-hex-escape.json', 'escapes of printable characters are resolved, hex case does not matter', '"\\u00E9\\u00e9\\u20AC\\u0041"');
ok('strings/surrogate-pair-escape.json', 'an escaped surrogate pair becomes the literal code point', '"\\ud83d\\ude00 \\uD83D\\uDE02"');
ok('strings/literal-non-ascii.json', 'literal non-ASCII stays as it is', '"K\u00f6rpergewicht \u20ac \ud83d\ude00 \u05d3\u05bc"');
ok('strings/unnormalized-unicode.json', 'no Unicode normalization: A + combining ring stays two code points', '{"Unnormalized Unicode":"A\\u030a"}');
ok('strings/html-not-escaped.json', '</script> and & are not escaped', '{"</script>":"a & b < c"}');
ok('strings/empty.json', 'empty string and empty member name', '{"":""}');

// structure
ok('structure/whitespace.json', 'all four whitespace characters are dropped', ' \t\r\n{ \t\r\n"a" \t\r\n: \t\r\n[ 1 , 2 ] \t\r\n} \t\r\n');
ok('structure/nested-sorting.json', 'nested objects are sorted at every level, array order is kept',
  '{\n  "1": {"f": {"f": "hi","F": 5} ,"\\n": 56.0},\n  "10": { },\n  "": "empty",\n  "a": { },\n  "111": [ {"e": "yes","E": "no" } ],\n  "A": { }\n}');
ok('structure/array-order-kept.json', 'arrays keep their order', '[56, {"d": true, "10": null, "1": [ ]}]');
ok('structure/locale-independent.json', 'sorting ignores locale: code unit order, not French collation',
  '{"peach": "1", "p\\u00e9ch\\u00e9": "2", "p\\u00eache": "3", "sin": "4"}');
ok('structure/numeric-looking-keys.json', 'numeric-looking names sort as strings', '{"2":0,"10":0,"1":0,"-1":0,"01":0}');
ok('structure/ascii-case.json', 'upper case sorts before lower case', '{"b":1,"B":2,"a":3,"A":4,"_":5}');
ok('structure/bmp-after-astral-prefix.json', 'U+FFFF sorts after a surrogate pair (UTF-16, not code point order)', '{"\\uffff":1,"\\ud800\\udc00":2,"\\ue000":3}');
ok('structure/top-level-string.json', 'a scalar is a JSON text too', '"x"');
ok('structure/top-level-literal.json', 'literals are kept', ' [true, false, null] ');
ok('structure/top-level-number.json', 'a top-level number', '  42.0  ');
ok('structure/empty-containers.json', 'empty containers', '[{}, [], [[]], {"a": {}}]');
ok('structure/fhir-observation.json', 'a FHIR R4 Observation as a server serves it',
  '{"resourceType":"Observation","id":"obs-1","meta":{"versionId":"3","lastUpdated":"2023-11-14T22:13:20.000+00:00"},"status":"final","code":{"coding":[{"system":"http://loinc.org","code":"29463-7","display":"Body weight"}],"text":"K\u00f6rpergewicht"},"valueQuantity":{"value":72.50,"unit":"kg","system":"http://unitsofmeasure.org","code":"kg"}}');
ok('structure/deep-nesting-limit.json', '512 nested arrays are accepted', '['.repeat(512) + ']'.repeat(512));

// invalid
const invalid = [
  ['empty', 'empty text', '', true],
  ['whitespace-only', 'whitespace only', ' \n ', true],
  ['byte-order-mark', 'a byte order mark is not whitespace', '\ufeff{}', true],
  ['trailing-garbage', 'characters after the value', '{} x', true],
  ['two-values', 'two values', '1 2', true],
  ['trailing-comma-array', 'trailing comma in an array', '[1,]', true],
  ['trailing-comma-object', 'trailing comma in an object', '{"a":1,}', true],
  ['leading-comma', 'leading comma in an array', '[,1]', true],
  ['missing-comma', 'missing comma in an array', '[1 2]', true],
  ['missing-colon', 'missing colon', '{"a" 1}', true],
  ['unquoted-name', 'unquoted member name', '{a:1}', true],
  ['single-quotes', 'single-quoted string', "['a']", true],
  ['non-string-name', 'number as member name', '{1:1}', true],
  ['unterminated-string', 'unterminated string', '"abc', true],
  ['unterminated-array', 'unterminated array', '[1', true],
  ['unterminated-object', 'unterminated object', '{"a":1', true],
  ['unterminated-escape', 'string ending in a backslash', '"\\', true],
  ['comment', 'comments are not JSON', '[1] // one', true],
  ['duplicate-name', 'duplicate member names are not I-JSON', '{"a":1,"a":1}', false],
  ['duplicate-name-escaped', 'duplicate member names after unescaping', '{"a":1,"\\u0061":2}', false],
  ['duplicate-name-nested', 'duplicate member names in a nested object', '[{"x":{"b":1,"c":2,"b":3}}]', false],
  ['lone-high-surrogate-escape', 'an escaped lone high surrogate is not I-JSON', '"\\ud800"', false],
  ['lone-low-surrogate-escape', 'an escaped lone low surrogate is not I-JSON', '"\\udc00"', false],
  ['reversed-surrogates', 'low surrogate before high surrogate', '"\\ude00\\ud83d"', false],
  ['high-surrogate-then-letter', 'high surrogate followed by a letter', '"\\ud83dx"', false],
  ['lone-surrogate-in-name', 'lone surrogate in a member name', '{"\\udfff":1}', false],
  ['literal-lone-surrogate', 'an unescaped lone surrogate in the text itself', '"\ud800"', false],
  ['raw-tab-in-string', 'unescaped tab inside a string', '"a\tb"', true],
  ['raw-newline-in-string', 'unescaped newline inside a string', '"a\nb"', true],
  ['raw-nul-in-string', 'unescaped NUL inside a string', '"a\u0000b"', true],
  ['invalid-escape', 'unknown escape \\x', '"\\x41"', true],
  ['single-quote-escape', "\\' is not a JSON escape", '"\\\'"', true],
  ['short-unicode-escape', '\\u with three hex digits', '"\\u123"', true],
  ['non-hex-unicode-escape', '\\u with a non-hex digit', '"\\u12G4"', true],
  ['fullwidth-digit-escape', '\\u with fullwidth digits', '"\\u\uff10\uff10\uff14\uff11"', true],
  ['leading-zero', 'leading zero', '01', true],
  ['leading-zero-negative', 'leading zero after minus', '-01', true],
  ['minus-only', 'minus without digits', '-', true],
  ['plus-sign', 'leading plus sign', '+1', true],
  ['bare-fraction', 'fraction without integer part', '.5', true],
  ['empty-fraction', 'point without fraction digits', '1.', true],
  ['empty-exponent', 'exponent without digits', '1e', true],
  ['signed-empty-exponent', 'signed exponent without digits', '1e+', true],
  ['hex-number', 'hex numbers are not JSON', '0x10', true],
  ['nan', 'NaN is not JSON', 'NaN', true],
  ['infinity', 'Infinity is not JSON', '-Infinity', true],
  ['uppercase-literal', 'literals are lower case', 'TRUE', true],
  ['truncated-literal', 'truncated literal', '[nul]', true],
  ['nbsp-whitespace', 'U+00A0 is not JSON whitespace', '\u00a0{}', true],
  ['form-feed-whitespace', 'form feed is not JSON whitespace', '\f{}', true],
  ['too-deep', '513 nested arrays exceed the nesting limit', '['.repeat(513) + ']'.repeat(513), false],
];
for (const [f, d, i, p] of invalid) bad(`invalid/${f}.json`, d, i, p);

for (const [f, c] of Object.entries(files)) {
  const p = path.join(root, f);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, JSON.stringify(c, null, 2) + '\n');
}
console.log(Object.keys(files).length + ' cases');
