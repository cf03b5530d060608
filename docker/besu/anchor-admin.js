#!/usr/bin/env node
// Chartproof anchor administration on an EVM chain (the consortium's Besu QBFT network): key files,
// deploying the ChartproofAnchor contract from the committed bytecode, and managing submitters.
// Uses ethers (pinned in package.json) for keys, signing and JSON-RPC. Never prints a private key
// or a password. Transactions are legacy (type 0) at the node's eth_gasPrice, like the server's
// own client: 0 on the free-gas Besu network of docker/compose.besu.yml.
//
//   node anchor-admin.js init --dir DIR [--origin ORIGIN]
//       New admin and submitter accounts (Web3 secret storage + password files), a new ledger
//       signing key, and the public anchor.json / anchor.env that say which contract the admin's
//       first transaction creates. Refuses to overwrite anything.
//   node anchor-admin.js new-account --keystore FILE --password-file FILE
//       One new account (for example an institution's submitter). An absent password file is
//       created with a random password.
//   node anchor-admin.js deploy --rpc URL --dir DIR [--admin-keystore F] [--admin-password-file F]
//       Deploys the contract with the admin's nonce 0 (so at anchor.json's address) and authorizes
//       anchor.json's submitter. Safe to run again: does only what is missing.
//   node anchor-admin.js add-submitter|remove-submitter|transfer-admin ADDRESS
//       --rpc URL --contract ADDRESS --admin-keystore F --admin-password-file F
//   node anchor-admin.js status --rpc URL --contract ADDRESS [--vkey VKEY]
//       Reads the contract (log id, admin, anchors); with --vkey, checks the log id against it.
//   node anchor-admin.js log-id (--vkey VKEY | --origin ORIGIN --signing-key-file F)
//       The log id a contract for this log must carry: SHA-256 of the vkey text.
//
// Options may also come from the environment: --rpc from ANCHOR_RPC_URL, --artifacts (the folder
// with ChartproofAnchor.abi.json and .bin) from ANCHOR_ARTIFACTS.
"use strict";

const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { ethers } = require("ethers");

const DEFAULT_ARTIFACTS = path.resolve(
  __dirname,
  "../../ledger-module/src/main/resources/org/chartproof/ledger/anchor",
);
const DEFAULT_ORIGIN = "chartproof.localhost/ledger";
const DEPLOY_GAS = 1_000_000n; // deploying uses 548,376 gas (chain/README.md)
const ADMIN_GAS = 200_000n; // addSubmitter about 47,000
const RECEIPT_TIMEOUT_MS = 180_000;

// ---------------------------------------------------------------------------------------------
// Arguments and files

function parseArgs(argv) {
  const options = {};
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      if (eq > 0) {
        options[arg.slice(2, eq)] = arg.slice(eq + 1);
      } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
        options[arg.slice(2)] = argv[++i];
      } else {
        throw new UsageError(`${arg} needs a value`);
      }
    } else {
      positional.push(arg);
    }
  }
  return { options, positional };
}

class UsageError extends Error {}

function required(options, name) {
  if (options[name] == null || options[name] === "") throw new UsageError(`--${name} is required`);
  return options[name];
}

function rpcUrl(options) {
  const url = options.rpc || process.env.ANCHOR_RPC_URL;
  if (!url) throw new UsageError("--rpc (or ANCHOR_RPC_URL) is required");
  return url;
}

function readPassword(file) {
  // The whole file is the password, less one trailing line break.
  return fs.readFileSync(file, "utf8").replace(/\r?\n$/, "");
}

/** Writes a new file; never overwrites. Secrets get mode 0600, public files 0644. */
function writeNew(file, content, secret) {
  fs.writeFileSync(file, content, { flag: "wx", mode: secret ? 0o600 : 0o644 });
}

function address(value, what) {
  if (!ethers.isAddress(value)) throw new UsageError(`${what} is not an address: ${value}`);
  return ethers.getAddress(value);
}

function loadArtifacts(options) {
  const dir = options.artifacts || process.env.ANCHOR_ARTIFACTS || DEFAULT_ARTIFACTS;
  const abi = JSON.parse(fs.readFileSync(path.join(dir, "ChartproofAnchor.abi.json"), "utf8"));
  const bin = fs.readFileSync(path.join(dir, "ChartproofAnchor.bin"), "utf8").trim();
  if (!/^[0-9a-fA-F]+$/.test(bin)) throw new Error(`${dir}/ChartproofAnchor.bin is not hex`);
  return { abi, bytecode: "0x" + bin };
}

// ---------------------------------------------------------------------------------------------
// Keys

async function newAccount(keystoreFile, passwordFile) {
  if (fs.existsSync(keystoreFile)) throw new Error(`${keystoreFile} exists; not overwriting it`);
  if (!fs.existsSync(passwordFile)) {
    writeNew(passwordFile, crypto.randomBytes(24).toString("base64url"), true);
  }
  const wallet = new ethers.Wallet(ethers.hexlify(crypto.randomBytes(32)));
  // Web3 secret storage v3, scrypt (n = 2^17): the format geth, Besu and web3j read.
  const json = await wallet.encrypt(readPassword(passwordFile));
  writeNew(keystoreFile, json + "\n", true);
  return wallet.address;
}

async function loadWallet(keystoreFile, passwordFile) {
  try {
    return await ethers.Wallet.fromEncryptedJson(
      fs.readFileSync(keystoreFile, "utf8"),
      readPassword(passwordFile),
    );
  } catch (e) {
    // No cause or detail: nothing from the file or the password goes into a message.
    throw new Error(`cannot decrypt ${keystoreFile} with ${passwordFile} (wrong password?)`);
  }
}

const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/**
 * The C2SP vkey of the ledger's Ed25519 signing key, as the server serves it at GET /ledger/key:
 * <origin>+<8 hex digits key id>+<base64(0x01 || public key)>, the key id being the first four
 * bytes of SHA-256(origin || "\n" || 0x01 || public key).
 */
function vkeyFromSeed(origin, seed) {
  if (!origin || /[\s+]/.test(origin)) throw new UsageError(`not a valid log origin: "${origin}"`);
  if (seed.length !== 32) throw new Error("the ledger signing key file must hold 32 bytes (base64)");
  const privateKey = crypto.createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: "der",
    type: "pkcs8",
  });
  const spki = crypto.createPublicKey(privateKey).export({ format: "der", type: "spki" });
  const typeAndKey = Buffer.concat([Buffer.from([0x01]), spki.subarray(spki.length - 32)]);
  const keyId = crypto
    .createHash("sha256")
    .update(Buffer.concat([Buffer.from(origin + "\n", "utf8"), typeAndKey]))
    .digest()
    .subarray(0, 4)
    .toString("hex");
  return `${origin}+${keyId}+${typeAndKey.toString("base64")}`;
}

function readSeed(file) {
  return Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64");
}

function logIdOf(vkey) {
  return "0x" + crypto.createHash("sha256").update(vkey.trim(), "utf8").digest("hex");
}

// ---------------------------------------------------------------------------------------------
// Chain

/** Waits until the node answers eth_chainId; returns a provider bound to that chain. */
async function connect(url, waitMs = 300_000) {
  const deadline = Date.now() + waitMs;
  let lastError;
  for (;;) {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
        signal: AbortSignal.timeout(5_000),
      });
      const body = await response.json();
      if (body.result) {
        const network = ethers.Network.from(BigInt(body.result));
        const provider = new ethers.JsonRpcProvider(url, network, {
          staticNetwork: network,
          batchMaxCount: 1,
          pollingInterval: 500,
        });
        return provider;
      }
      lastError = new Error(JSON.stringify(body.error || body));
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`no JSON-RPC answer from ${url}: ${lastError && lastError.message}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

async function gasPrice(provider) {
  return BigInt(await provider.send("eth_gasPrice", []));
}

/** Sends a legacy transaction and waits for a successful receipt. */
async function transact(wallet, request, what) {
  const tx = await wallet.sendTransaction({
    ...request,
    type: 0,
    gasPrice: await gasPrice(wallet.provider),
  });
  console.error(`${what}: sent ${tx.hash}, waiting for its block`);
  const receipt = await tx.wait(1, RECEIPT_TIMEOUT_MS);
  if (!receipt || receipt.status !== 1) throw new Error(`${what}: transaction ${tx.hash} failed`);
  return receipt;
}

/** Calls an admin function: first as eth_call (a revert is named), then as a transaction. */
async function adminCall(contract, wallet, fn, args) {
  const signed = contract.connect(wallet);
  try {
    await signed[fn].staticCall(...args, { from: wallet.address });
  } catch (e) {
    throw new Error(`${fn}(${args.join(", ")}) would revert: ${e.revert ? e.revert.name : e.shortMessage || e.message}`);
  }
  const request = await signed[fn].populateTransaction(...args);
  return transact(wallet, { ...request, gasLimit: ADMIN_GAS }, `${fn}(${args.join(", ")})`);
}

async function codeAt(provider, at) {
  const code = await provider.getCode(at);
  return code && code !== "0x";
}

// ---------------------------------------------------------------------------------------------
// Commands

async function cmdInit(options) {
  const dir = required(options, "dir");
  const origin = options.origin || DEFAULT_ORIGIN;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = (name) => path.join(dir, name);
  if (fs.existsSync(file("anchor.json"))) throw new Error(`${file("anchor.json")} exists; not overwriting`);

  const admin = await newAccount(file("admin.keystore.json"), file("admin.password"));
  const submitter = await newAccount(file("submitter.keystore.json"), file("submitter.password"));
  if (!fs.existsSync(file("ledger-signing.key"))) {
    writeNew(file("ledger-signing.key"), crypto.randomBytes(32).toString("base64") + "\n", true);
  }
  const vkey = vkeyFromSeed(origin, readSeed(file("ledger-signing.key")));
  const contract = ethers.getCreateAddress({ from: admin, nonce: 0 });
  const anchor = { origin, vkey, logId: logIdOf(vkey), admin, submitter, contract };
  writeNew(file("anchor.json"), JSON.stringify(anchor, null, 2) + "\n", false);
  writeNew(
    file("anchor.env"),
    "# Written by docker/besu/anchor-admin.js init: public values for the chartproof service.\n" +
      `CHARTPROOF_LEDGER_ORIGIN=${origin}\n` +
      `CHARTPROOF_ANCHOR_CONTRACT_ADDRESS=${contract}\n`,
    false,
  );
  console.log(JSON.stringify(anchor, null, 2));
}

async function cmdNewAccount(options) {
  const at = await newAccount(required(options, "keystore"), required(options, "password-file"));
  console.log(at);
}

async function cmdDeploy(options) {
  const dir = required(options, "dir");
  const anchor = JSON.parse(fs.readFileSync(path.join(dir, "anchor.json"), "utf8"));
  const admin = await loadWallet(
    options["admin-keystore"] || path.join(dir, "admin.keystore.json"),
    options["admin-password-file"] || path.join(dir, "admin.password"),
  );
  if (admin.address !== address(anchor.admin, "anchor.json admin")) {
    throw new Error(`the admin keystore holds ${admin.address}, anchor.json names ${anchor.admin}`);
  }
  const submitter = address(anchor.submitter, "anchor.json submitter");
  const expected = ethers.getCreateAddress({ from: admin.address, nonce: 0 });
  if (expected !== address(anchor.contract, "anchor.json contract")) {
    throw new Error(`anchor.json names contract ${anchor.contract}, the admin's nonce 0 creates ${expected}`);
  }
  const { abi, bytecode } = loadArtifacts(options);
  const provider = await connect(rpcUrl(options));
  const wallet = admin.connect(provider);
  const contract = new ethers.Contract(expected, abi, provider);
  const { chainId } = await provider.getNetwork();
  const result = { chainId: chainId.toString(), contract: expected, deployed: false, submitterAdded: false };

  if (!(await codeAt(provider, expected))) {
    const nonce = await provider.getTransactionCount(admin.address, "latest");
    if (nonce !== 0) {
      throw new Error(
        `the admin account ${admin.address} has sent ${nonce} transaction(s) but there is no contract at ` +
          `${expected}: this admin key was used for something else; start from a new one (init)`,
      );
    }
    const data = new ethers.ContractFactory(abi, bytecode).interface.encodeDeploy([anchor.logId]);
    const receipt = await transact(
      wallet,
      { data: ethers.concat([bytecode, data]), nonce: 0, gasLimit: DEPLOY_GAS },
      "deploy ChartproofAnchor",
    );
    if (ethers.getAddress(receipt.contractAddress) !== expected) {
      throw new Error(`deployed at ${receipt.contractAddress}, expected ${expected}`);
    }
    Object.assign(result, {
      deployed: true,
      deployTransaction: receipt.hash,
      deployBlock: receipt.blockNumber,
      deployGas: receipt.gasUsed.toString(),
    });
  }
  const logId = await contract.logId();
  if (logId.toLowerCase() !== anchor.logId.toLowerCase()) {
    throw new Error(`the contract at ${expected} anchors log ${logId}, not ${anchor.logId} (${anchor.vkey})`);
  }
  if (!(await contract.isSubmitter(submitter))) {
    const receipt = await adminCall(contract, wallet, "addSubmitter", [submitter]);
    Object.assign(result, { submitterAdded: true, addSubmitterTransaction: receipt.hash });
  }
  if (!(await contract.isSubmitter(submitter))) throw new Error(`${submitter} is still no submitter`);
  Object.assign(result, { logId, vkey: anchor.vkey, admin: admin.address, submitter });
  console.log(JSON.stringify(result, null, 2));
}

async function cmdAdmin(fn, options, positional) {
  const target = address(positional[0] || "", "the account");
  const { abi } = loadArtifacts(options);
  const provider = await connect(rpcUrl(options), 30_000);
  const admin = (
    await loadWallet(required(options, "admin-keystore"), required(options, "admin-password-file"))
  ).connect(provider);
  const contract = new ethers.Contract(address(required(options, "contract"), "--contract"), abi, provider);
  const receipt = await adminCall(contract, admin, fn, [target]);
  console.log(JSON.stringify({ function: fn, account: target, transaction: receipt.hash, block: receipt.blockNumber }));
}

async function cmdStatus(options) {
  const { abi } = loadArtifacts(options);
  const provider = await connect(rpcUrl(options), 30_000);
  const at = address(required(options, "contract"), "--contract");
  if (!(await codeAt(provider, at))) throw new Error(`no contract at ${at}`);
  const contract = new ethers.Contract(at, abi, provider);
  const count = await contract.count();
  const status = {
    chainId: (await provider.getNetwork()).chainId.toString(),
    block: await provider.getBlockNumber(),
    contract: at,
    logId: await contract.logId(),
    admin: await contract.admin(),
    anchors: count.toString(),
  };
  if (count > 0n) {
    const latest = await contract.latest();
    status.latest = {
      index: latest.index.toString(),
      treeSize: latest.treeSize.toString(),
      root: latest.root,
      checkpointHash: latest.checkpointHash,
      submitter: latest.submitter,
      blockNumber: latest.blockNumber.toString(),
      timestamp: new Date(Number(latest.timestamp) * 1000).toISOString(),
    };
  }
  if (options.vkey) {
    status.vkeyMatches = logIdOf(options.vkey) === status.logId.toLowerCase();
  }
  console.log(JSON.stringify(status, null, 2));
  if (status.vkeyMatches === false) {
    console.error("the contract's log id is NOT the SHA-256 of this vkey: it anchors another log");
    process.exitCode = 3;
  }
}

async function cmdLogId(options) {
  const vkey = options.vkey
    ? options.vkey.trim()
    : vkeyFromSeed(required(options, "origin"), readSeed(required(options, "signing-key-file")));
  console.log(JSON.stringify({ vkey, logId: logIdOf(vkey) }, null, 2));
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const { options, positional } = parseArgs(rest);
  switch (command) {
    case "init":
      return cmdInit(options);
    case "new-account":
      return cmdNewAccount(options);
    case "deploy":
      return cmdDeploy(options);
    case "add-submitter":
    case "remove-submitter":
    case "transfer-admin":
      return cmdAdmin(command.replace(/-(\w)/g, (_, c) => c.toUpperCase()), options, positional);
    case "status":
      return cmdStatus(options);
    case "log-id":
      return cmdLogId(options);
    default:
      throw new UsageError(
        "usage: node anchor-admin.js init|new-account|deploy|add-submitter|remove-submitter|" +
          "transfer-admin|status|log-id [options] (see the top of this file)",
      );
  }
}

main().catch((e) => {
  console.error(`anchor-admin: ${e.message}`);
  process.exitCode = e instanceof UsageError ? 2 : 1;
});
