// Hardhat is used only as a local EVM node for tests (`hardhat node`); it compiles nothing
// (compile.js does, with the pinned npm solc). Chain id and accounts are fixed so that tests can
// rely on them: the well-known development mnemonic, whose keys are public. Never use them on a
// real network.
module.exports = {
  networks: {
    hardhat: {
      chainId: 31337,
      hardfork: "cancun",
      accounts: {
        mnemonic: "test test test test test test test test test test test junk",
        count: 10,
        accountsBalance: "10000000000000000000000",
      },
    },
  },
};
