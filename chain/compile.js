#!/usr/bin/env node
// Compiles contracts/ChartproofAnchor.sol with the pinned npm solc and fixed settings, and writes
// the ABI and the deployment bytecode into ledger-module's resources. With --check it writes
// nothing and exits 1 if the committed files differ from what the compiler produces.
//
// Usage (from the repository root or anywhere): node chain/compile.js [--check]
"use strict";

const fs = require("fs");
const path = require("path");
const solc = require("solc");

const SOLC_VERSION = "0.8.26+commit.8a97fa7a.Emscripten.clang";
const CONTRACT = "ChartproofAnchor";
// The source's name is part of the metadata hash at the end of the bytecode: keep it fixed.
const SOURCE_NAME = `contracts/${CONTRACT}.sol`;
// evmVersion paris: no PUSH0, so the bytecode runs on chains whose genesis has no Shanghai fork.
const SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: "paris",
  outputSelection: { [SOURCE_NAME]: { [CONTRACT]: ["abi", "evm.bytecode.object"] } },
};
const OUT_DIR = path.join(
  __dirname, "..", "ledger-module", "src", "main", "resources", "org", "chartproof", "ledger", "anchor");

function compile() {
  if (solc.version() !== SOLC_VERSION) {
    throw new Error(`solc ${solc.version()} is installed, ${SOLC_VERSION} is pinned: run npm ci in chain/`);
  }
  // Normalize line endings so a CRLF checkout produces the same bytecode.
  const source = fs.readFileSync(path.join(__dirname, SOURCE_NAME), "utf8").replace(/\r\n/g, "\n");
  const input = { language: "Solidity", sources: { [SOURCE_NAME]: { content: source } }, settings: SETTINGS };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (output.errors || []).filter((e) => e.severity === "error");
  for (const e of output.errors || []) console.error(e.formattedMessage);
  if (errors.length > 0) throw new Error("compilation failed");
  const contract = output.contracts[SOURCE_NAME][CONTRACT];
  return {
    [`${CONTRACT}.abi.json`]: JSON.stringify(contract.abi, null, 2) + "\n",
    [`${CONTRACT}.bin`]: contract.evm.bytecode.object + "\n",
  };
}

function main() {
  const check = process.argv.includes("--check");
  const files = compile();
  let differ = 0;
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(OUT_DIR, name);
    if (check) {
      const committed = fs.existsSync(file) ? fs.readFileSync(file, "utf8").replace(/\r\n/g, "\n") : null;
      if (committed !== content) {
        console.error(`${path.relative(process.cwd(), file)} differs from what ${SOURCE_NAME} compiles to`);
        differ++;
      }
    } else {
      fs.mkdirSync(OUT_DIR, { recursive: true });
      fs.writeFileSync(file, content);
      console.log(`wrote ${path.relative(process.cwd(), file)}`);
    }
  }
  if (differ > 0) {
    console.error("Regenerate with: node chain/compile.js (see chain/README.md), then commit the files.");
    process.exit(1);
  }
  if (check) console.log(`${CONTRACT} ABI and bytecode match ${SOURCE_NAME} (solc ${SOLC_VERSION})`);
}

main();
