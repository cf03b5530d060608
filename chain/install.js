#!/usr/bin/env node
// Installs chain/'s pinned packages with `npm ci` unless node_modules already holds what this
// package-lock.json pins (a stamp with the lockfile's SHA-256 records the last clean install), so
// that repeated builds neither reinstall nor need the network. Uses only Node's own modules.
//
// Usage: node chain/install.js
"use strict";

const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");

const lockHash = crypto
  .createHash("sha256")
  .update(fs.readFileSync(path.join(__dirname, "package-lock.json")))
  .digest("hex");
const stamp = path.join(__dirname, "node_modules", ".chartproof-lock.sha256");

if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8").trim() === lockHash) {
  console.log("chain/node_modules is up to date with package-lock.json");
  process.exit(0);
}
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const result = spawnSync(npm, ["ci", "--no-audit", "--no-fund"], {
  cwd: __dirname,
  stdio: "inherit",
  shell: process.platform === "win32",
});
if (result.status !== 0) {
  console.error(`npm ci in ${__dirname} failed (${result.error || "exit " + result.status})`);
  process.exit(1);
}
fs.writeFileSync(stamp, lockHash + "\n");
