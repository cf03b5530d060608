package org.chartproof.ledger.note;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignedNoteTest {

  /** Known-answer vectors from golang.org/x/mod/sumdb/note, the reference implementation. */
  static final String PETER_SKEY =
      "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";

  static final String PETER_VKEY =
      "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
  static final String PETER_TEXT =
      "If you think cryptography is the answer to your problem,\n"
          + "then you don't know what your problem is.\n";
  static final String PETER_SIGNATURE =
      "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

  /** The example of the C2SP signed-note specification. */
  static final String C2SP_VKEY =
      "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";

  static final String C2SP_NOTE =
      "This is an example message.\n\n"
          + "\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

  private static final NoteSigner PETER = NoteSigner.parsePrivateKey(PETER_SKEY);
  private static final NoteSigner OTHER = NoteSigner.fromSeed("other.example/log", seed(7));

  static byte[] seed(int value) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) value);
    return seed;
  }

  private static byte[] peterNote() {
    return (PETER_TEXT + "\n" + PETER_SIGNATURE).getBytes(UTF_8);
  }

  // ---- known answers ----

  @Test
  void signatureLine_goReferenceKey_matchesKnownAnswer() {
    assertThat(PETER.signatureLine(PETER_TEXT.getBytes(UTF_8))).isEqualTo(PETER_SIGNATURE);
    assertThat(PETER.verifierKey().encode()).isEqualTo(PETER_VKEY);
  }

  @Test
  void open_goReferenceNote_returnsText() throws Exception {
    VerifiedNote opened = SignedNote.open(peterNote(), List.of(VerifierKey.parse(PETER_VKEY)));

    assertThat(opened.text()).isEqualTo(PETER_TEXT);
    assertThat(opened.verifiedBy()).containsExactly(VerifierKey.parse(PETER_VKEY));
  }

  @Test
  void open_c2spSpecExample_returnsText() throws Exception {
    VerifiedNote opened =
        SignedNote.open(C2SP_NOTE.getBytes(UTF_8), List.of(VerifierKey.parse(C2SP_VKEY)));

    assertThat(opened.text()).isEqualTo("This is an example message.\n");
  }

  // ---- tampering ----

  @Test
  void open_flippedByteAnywhereInNote_rejects() {
    byte[] note = peterNote();
    List<VerifierKey> trusted = List.of(PETER.verifierKey());
    for (int i = 0; i < note.length; i++) {
      byte[] forged = note.clone();
      forged[i] ^= 0x01;
      // Depending on the byte this breaks UTF-8, the layout, the name, the key ID or the signature;
      // every one of those must end in rejection.
      assertThatThrownBy(() -> SignedNote.open(forged, trusted))
          .as("byte %d", i)
          .isInstanceOf(InvalidNoteException.class);
    }
  }

  @Test
  void open_flippedSignatureByte_rejectsAsBadTrustedSignature() {
    byte[] blob = Base64.getDecoder().decode(PETER_SIGNATURE.substring(15).trim());
    for (int i = 4; i < blob.length; i++) {
      byte[] forgedBlob = blob.clone();
      forgedBlob[i] ^= 0x01;
      byte[] forged =
          (PETER_TEXT
                  + "\n\u2014 PeterNeumann "
                  + Base64.getEncoder().encodeToString(forgedBlob)
                  + "\n")
              .getBytes(UTF_8);
      assertThatThrownBy(() -> SignedNote.open(forged, List.of(PETER.verifierKey())))
          .isInstanceOf(InvalidNoteException.class)
          .hasMessageContaining("invalid signature by trusted key");
    }
  }

  @Test
  void open_signatureFromOtherTextMovedOntoNote_rejects() {
    String otherLine = PETER.signatureLine("something else\n".getBytes(UTF_8));
    byte[] forged = (PETER_TEXT + "\n" + otherLine).getBytes(UTF_8);

    assertThatThrownBy(() -> SignedNote.open(forged, List.of(PETER.verifierKey())))
        .isInstanceOf(InvalidNoteException.class);
  }

  @Test
  void open_renamedSignatureLine_isUnknownAndRejected() {
    byte[] forged =
        (PETER_TEXT + "\n" + PETER_SIGNATURE.replace("PeterNeumann", "PeterNeumanm"))
            .getBytes(UTF_8);

    assertThatThrownBy(() -> SignedNote.open(forged, List.of(PETER.verifierKey())))
        .isInstanceOf(InvalidNoteException.class)
        .hasMessageContaining("no signature by a trusted key");
  }

  @Test
  void open_onlyUntrustedKeySigned_rejects() {
    assertThatThrownBy(() -> SignedNote.open(peterNote(), List.of(OTHER.verifierKey())))
        .isInstanceOf(InvalidNoteException.class)
        .hasMessageContaining("no signature by a trusted key");
    assertThatThrownBy(() -> SignedNote.open(peterNote(), List.of()))
        .isInstanceOf(InvalidNoteException.class);
  }

  @Test
  void open_trustedNameAndIdButDifferentKey_rejectsAsBadSignature() {
    // An impostor key sharing name and ID with the signer (IDs are short, so collisions are cheap).
    VerifierKey impostor =
        new VerifierKey(
            "PeterNeumann", PETER.verifierKey().keyId(), OTHER.verifierKey().publicKey());

    assertThatThrownBy(() -> SignedNote.open(peterNote(), List.of(impostor)))
        .isInstanceOf(InvalidNoteException.class)
        .hasMessageContaining("invalid signature by trusted key");
  }

  @Test
  void open_unknownSignaturesBesideTrustedOne_areIgnored() throws Exception {
    byte[] text = PETER_TEXT.getBytes(UTF_8);
    String unknown = "\u2014 witness.example/w1 " + Base64.getEncoder().encodeToString(seed(9));
    byte[] note =
        (PETER_TEXT + "\n" + OTHER.signatureLine(text) + unknown + "\n" + PETER_SIGNATURE)
            .getBytes(UTF_8);

    VerifiedNote opened = SignedNote.open(note, List.of(PETER.verifierKey()));

    assertThat(opened.verifiedBy()).containsExactly(PETER.verifierKey());
  }

  @Test
  void open_badSignatureFromSecondTrustedKey_rejectsWholeNote() {
    byte[] text = PETER_TEXT.getBytes(UTF_8);
    String badOther = OTHER.signatureLine("different\n".getBytes(UTF_8));
    byte[] note = (PETER_TEXT + "\n" + PETER.signatureLine(text) + badOther).getBytes(UTF_8);

    assertThatThrownBy(
            () -> SignedNote.open(note, List.of(PETER.verifierKey(), OTHER.verifierKey())))
        .isInstanceOf(InvalidNoteException.class);
  }

  @Test
  void open_twoTrustedSignatures_reportsBoth() throws Exception {
    byte[] text = PETER_TEXT.getBytes(UTF_8);
    byte[] note =
        (PETER_TEXT + "\n" + PETER.signatureLine(text) + OTHER.signatureLine(text)).getBytes(UTF_8);

    VerifiedNote opened = SignedNote.open(note, List.of(OTHER.verifierKey(), PETER.verifierKey()));

    assertThat(opened.verifiedBy()).containsExactly(PETER.verifierKey(), OTHER.verifierKey());
  }

  // ---- malformed notes ----

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "no signature block\n",
        "text\n\n",
        "text\n\n\u2014 PeterNeumann AAAAAAAA\n",
        "text\n\n- PeterNeumann AAAAAAAAAA==\n",
        "text\n\n\u2014 Peter+Neumann AAAAAAAAAA==\n",
        "text\n\n\u2014 PeterNeumann AAAAAAAAAA\n",
        "text\n\n\u2014 PeterNeumann AAAAAAAAAB==\n",
        "text\n\n\u2014 PeterNeumann AAAAAAAAAA==",
        "text\r\n\n\u2014 PeterNeumann AAAAAAAAAA==\n",
        "te\txt\n\n\u2014 PeterNeumann AAAAAAAAAA==\n",
        "text\n\n\u2014  AAAAAAAAAA==\n",
      })
  void open_malformedNote_rejects(String note) {
    assertThatThrownBy(() -> SignedNote.open(note.getBytes(UTF_8), List.of(PETER.verifierKey())))
        .isInstanceOf(InvalidNoteException.class);
  }

  @Test
  void open_invalidUtf8_rejects() {
    byte[] note = peterNote();
    byte[] forged = Arrays.copyOf(note, note.length + 1);
    System.arraycopy(note, 0, forged, 1, note.length);
    forged[0] = (byte) 0xC3; // a lead byte followed by an ASCII letter

    assertThatThrownBy(() -> SignedNote.open(forged, List.of(PETER.verifierKey())))
        .isInstanceOf(InvalidNoteException.class)
        .hasMessageContaining("UTF-8");
  }

  @Test
  void open_tooManySignatures_rejects() {
    byte[] text = PETER_TEXT.getBytes(UTF_8);
    String line = PETER.signatureLine(text);
    byte[] note = (PETER_TEXT + "\n" + line.repeat(SignedNote.MAX_SIGNATURES + 1)).getBytes(UTF_8);

    assertThatThrownBy(() -> SignedNote.open(note, List.of(PETER.verifierKey())))
        .isInstanceOf(InvalidNoteException.class)
        .hasMessageContaining("more than");
  }

  @Test
  void open_sixteenSignatures_accepted() throws Exception {
    byte[] text = PETER_TEXT.getBytes(UTF_8);
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 15; i++) {
      lines.append(NoteSigner.fromSeed("w" + i + ".example", seed(i)).signatureLine(text));
    }
    lines.append(PETER_SIGNATURE);

    assertThat(
            SignedNote.open(
                    (PETER_TEXT + "\n" + lines).getBytes(UTF_8), List.of(PETER.verifierKey()))
                .text())
        .isEqualTo(PETER_TEXT);
  }

  @Test
  void open_textWithBlankLines_splitsAtLastBlankLine() throws Exception {
    byte[] text = "first\n\nsecond\n".getBytes(UTF_8);

    assertThat(SignedNote.open(OTHER.sign(text), List.of(OTHER.verifierKey())).text())
        .isEqualTo("first\n\nsecond\n");
  }

  @Test
  void open_trustedKeysSharingNameAndId_isConfigurationError() {
    VerifierKey impostor =
        new VerifierKey(
            "PeterNeumann", PETER.verifierKey().keyId(), OTHER.verifierKey().publicKey());

    assertThatThrownBy(() -> SignedNote.open(peterNote(), List.of(PETER.verifierKey(), impostor)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- signing ----

  @ParameterizedTest
  @ValueSource(strings = {"", "no final newline", "tab\tinside\n", "cr\r\n"})
  void sign_invalidNoteText_rejects(String text) {
    assertThatThrownBy(() -> PETER.sign(text.getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toString_doesNotRevealPrivateKey() {
    assertThat(PETER.toString()).contains(PETER_VKEY).doesNotContain("PRIVATE");
  }
}
