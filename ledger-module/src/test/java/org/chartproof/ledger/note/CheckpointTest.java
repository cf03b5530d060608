package org.chartproof.ledger.note;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.chartproof.ledger.merkle.CompactRange;
import org.chartproof.ledger.merkle.ConsistencyProof;
import org.chartproof.ledger.merkle.MerkleHash;
import org.chartproof.ledger.merkle.NodeId;
import org.chartproof.ledger.merkle.ProofVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointTest {

  /** Body of the example in the C2SP tlog-checkpoint specification. */
  private static final String SPEC_BODY =
      "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

  private static final String ORIGIN = "chartproof.example/ledger";
  private static final byte[] ROOT = MerkleHash.leafHash("root".getBytes(UTF_8));
  private static final NoteSigner LOG = NoteSigner.fromSeed(ORIGIN, SignedNoteTest.seed(42));

  @Test
  void toNoteBody_specExample_isExact() throws Exception {
    Checkpoint checkpoint = Checkpoint.parse(SPEC_BODY);

    assertThat(checkpoint.origin()).isEqualTo("example.com/behind-the-sofa");
    assertThat(checkpoint.treeSize()).isEqualTo(20852163L);
    assertThat(new String(checkpoint.toNoteBody(), UTF_8)).isEqualTo(SPEC_BODY);
  }

  @Test
  void toNoteBody_withExtensions_appendsOneLineEach() {
    Checkpoint checkpoint = new Checkpoint(ORIGIN, 0, ROOT, List.of("ext one", "\u00e9xt two"));

    assertThat(new String(checkpoint.toNoteBody(), UTF_8))
        .isEqualTo(
            ORIGIN
                + "\n0\n"
                + Base64.getEncoder().encodeToString(ROOT)
                + "\next one\n\u00e9xt two\n");
  }

  @Test
  void signThenOpen_roundTripsTheCheckpoint() throws Exception {
    Checkpoint checkpoint = new Checkpoint(ORIGIN, 1234, ROOT, List.of("x"));

    byte[] note = LOG.sign(checkpoint.toNoteBody());
    VerifiedNote opened = SignedNote.open(note, List.of(LOG.verifierKey()));

    assertThat(Checkpoint.parse(opened.text())).isEqualTo(checkpoint);
    assertThat(opened.verifiedBy()).containsExactly(LOG.verifierKey());
  }

  @Test
  void signedCheckpoints_ofGrowingLedger_proveConsistency() throws Exception {
    // End to end: two checkpoints a sequencer would publish, checked the way a client would.
    List<byte[]> leaves =
        IntStream.range(0, 20)
            .mapToObj(i -> MerkleHash.leafHash(("entry " + i).getBytes(UTF_8)))
            .toList();
    Map<NodeId, byte[]> store = new HashMap<>();
    CompactRange.Appended first = CompactRange.empty().append(leaves.subList(0, 7));
    CompactRange.Appended second = first.range().append(leaves.subList(7, 20));
    Stream.concat(first.newNodes().stream(), second.newNodes().stream())
        .forEach(node -> store.put(node.id(), node.hash()));
    byte[] note1 = LOG.sign(new Checkpoint(ORIGIN, 7, first.range().root()).toNoteBody());
    byte[] note2 = LOG.sign(new Checkpoint(ORIGIN, 20, second.range().root()).toNoteBody());

    Checkpoint old = Checkpoint.parse(SignedNote.open(note1, List.of(LOG.verifierKey())).text());
    Checkpoint now = Checkpoint.parse(SignedNote.open(note2, List.of(LOG.verifierKey())).text());
    List<byte[]> proof =
        ConsistencyProof.build(
            old.treeSize(), now.treeSize(), ids -> ids.stream().map(store::get).toList());

    assertThatCode(
            () ->
                ProofVerifier.verifyConsistency(
                    old.treeSize(), now.treeSize(), proof, old.rootHash(), now.rootHash()))
        .doesNotThrowAnyException();
  }

  @Test
  void open_tamperedSignedCheckpoint_rejects() {
    byte[] note = LOG.sign(new Checkpoint(ORIGIN, 99, ROOT).toNoteBody());
    for (int i = 0; i < note.length; i++) {
      byte[] forged = note.clone();
      forged[i] ^= 0x02;
      assertThatThrownBy(() -> SignedNote.open(forged, List.of(LOG.verifierKey())))
          .as("byte %d", i)
          .isInstanceOf(InvalidNoteException.class);
    }
  }

  @Test
  void open_checkpointSignedByWrongKey_rejects() {
    NoteSigner impostor = NoteSigner.fromSeed(ORIGIN, SignedNoteTest.seed(43));
    byte[] note = impostor.sign(new Checkpoint(ORIGIN, 99, ROOT).toNoteBody());

    assertThatThrownBy(() -> SignedNote.open(note, List.of(LOG.verifierKey())))
        .isInstanceOf(InvalidNoteException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "origin\n1\n",
        "origin\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=",
        "\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "origin\n01\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "origin\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "origin\n+1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "origin\n 1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "origin\n9223372036854775808\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "origin\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n",
        "origin\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n",
        "origin\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jx\n",
        "origin\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n",
        "origin\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\next\n\n",
      })
  void parse_malformedCheckpoint_rejects(String text) {
    assertThatThrownBy(() -> Checkpoint.parse(text)).isInstanceOf(InvalidNoteException.class);
  }

  @Test
  void parse_maximumTreeSize_accepted() throws Exception {
    String text = "o\n9223372036854775807\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

    assertThat(Checkpoint.parse(text).treeSize()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void constructor_invalidFields_reject() {
    assertThatThrownBy(() -> new Checkpoint("", 1, ROOT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Checkpoint("a\nb", 1, ROOT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Checkpoint(ORIGIN, -1, ROOT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Checkpoint(ORIGIN, 1, new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Checkpoint(ORIGIN, 1, ROOT, List.of("")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Checkpoint(ORIGIN, 1, ROOT, List.of("a\u0000b")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rootHash_isDefensivelyCopied() {
    byte[] root = ROOT.clone();
    Checkpoint checkpoint = new Checkpoint(ORIGIN, 1, root);
    root[0] ^= 1;
    checkpoint.rootHash()[1] ^= 1;

    assertThat(checkpoint.rootHash()).isEqualTo(ROOT);
  }
}
