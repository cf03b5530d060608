// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.26;

/// @title Chartproof ledger anchors
/// @notice An append-only, tree-size-monotonic record of one Chartproof ledger's signed checkpoints.
/// One deployment per log. Only the checkpoint's tree size, RFC 6962 root hash and the SHA-256 of
/// the whole signed checkpoint note go on chain, never per-record data.
/// @dev Guarantees: an anchor, once stored, is never changed or removed; every anchor's tree size is
/// strictly greater than the previous one's (so the first is at least 1); only addresses the admin
/// has made submitters can anchor; only the admin manages submitters and hands over the admin role.
contract ChartproofAnchor {
    struct Anchor {
        uint64 treeSize;
        uint64 blockNumber;
        uint64 timestamp;
        address submitter;
        bytes32 root;
        bytes32 checkpointHash;
    }

    /// @notice SHA-256 of the log's verifier key text, the C2SP vkey exactly as
    /// `GET /ledger/key` serves it without a trailing newline
    /// (`<name>+<hex key id>+<base64(0x01 || public key)>`).
    bytes32 public immutable logId;

    /// @notice The account that manages submitters; the deployer at first.
    address public admin;

    /// @notice Whether an account may anchor (one submitter account per institution).
    mapping(address => bool) public isSubmitter;

    Anchor[] private anchors;

    event Anchored(
        uint256 indexed index, uint64 treeSize, bytes32 root, bytes32 checkpointHash, address indexed submitter
    );
    event SubmitterAdded(address indexed submitter);
    event SubmitterRemoved(address indexed submitter);
    event AdminTransferred(address indexed previousAdmin, address indexed newAdmin);

    error NotAdmin();
    error NotSubmitter();
    error ZeroAddress();
    error TreeSizeNotIncreasing(uint64 latest, uint64 given);
    error NoAnchors();
    error IndexOutOfRange(uint256 index, uint256 count);

    modifier onlyAdmin() {
        if (msg.sender != admin) revert NotAdmin();
        _;
    }

    constructor(bytes32 logId_) {
        logId = logId_;
        admin = msg.sender;
        emit AdminTransferred(address(0), msg.sender);
    }

    /// @notice Records a checkpoint. Reverts with NotSubmitter for any other account and with
    /// TreeSizeNotIncreasing unless treeSize is greater than the latest anchor's (0 when none).
    /// @return index the new anchor's index, `count() - 1`
    function anchor(uint64 treeSize, bytes32 root, bytes32 checkpointHash) external returns (uint256 index) {
        if (!isSubmitter[msg.sender]) revert NotSubmitter();
        index = anchors.length;
        uint64 latestSize = index == 0 ? 0 : anchors[index - 1].treeSize;
        if (treeSize <= latestSize) revert TreeSizeNotIncreasing(latestSize, treeSize);
        anchors.push(
            Anchor(treeSize, uint64(block.number), uint64(block.timestamp), msg.sender, root, checkpointHash)
        );
        emit Anchored(index, treeSize, root, checkpointHash, msg.sender);
    }

    /// @notice The number of anchors.
    function count() external view returns (uint256) {
        return anchors.length;
    }

    /// @notice The anchor at `index` (0-based, in anchoring order); reverts with IndexOutOfRange.
    function anchorAt(uint256 index)
        public
        view
        returns (
            uint64 treeSize,
            bytes32 root,
            bytes32 checkpointHash,
            address submitter,
            uint64 blockNumber,
            uint64 timestamp
        )
    {
        if (index >= anchors.length) revert IndexOutOfRange(index, anchors.length);
        Anchor storage a = anchors[index];
        return (a.treeSize, a.root, a.checkpointHash, a.submitter, a.blockNumber, a.timestamp);
    }

    /// @notice The newest anchor, the one with the largest tree size; reverts with NoAnchors when
    /// there is none.
    function latest()
        external
        view
        returns (
            uint256 index,
            uint64 treeSize,
            bytes32 root,
            bytes32 checkpointHash,
            address submitter,
            uint64 blockNumber,
            uint64 timestamp
        )
    {
        if (anchors.length == 0) revert NoAnchors();
        index = anchors.length - 1;
        (treeSize, root, checkpointHash, submitter, blockNumber, timestamp) = anchorAt(index);
    }

    /// @notice Lets `account` anchor. Admin only.
    function addSubmitter(address account) external onlyAdmin {
        if (account == address(0)) revert ZeroAddress();
        isSubmitter[account] = true;
        emit SubmitterAdded(account);
    }

    /// @notice Stops `account` from anchoring; its earlier anchors stay. Admin only.
    function removeSubmitter(address account) external onlyAdmin {
        isSubmitter[account] = false;
        emit SubmitterRemoved(account);
    }

    /// @notice Hands the admin role to `newAdmin` (not the zero address). Admin only.
    function transferAdmin(address newAdmin) external onlyAdmin {
        if (newAdmin == address(0)) revert ZeroAddress();
        emit AdminTransferred(admin, newAdmin);
        admin = newAdmin;
    }
}
