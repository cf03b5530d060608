package org.chartproof.ledger.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChainLinkTest {

  private static final byte[] ROOT = new byte[32];
  private static final byte[] PREVIOUS_NOTE =
      "o\n0\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— o sig\n"
          .getBytes(StandardCharsets.UTF_8);

  @Test
  void of_roundTripsTheExtensionLines() throws InvalidNoteException {
    ChainLink link = ChainLink.after(7, 1700000000123L, PREVIOUS_NOTE);
    Checkpoint checkpoint = new Checkpoint("o", 3, ROOT, link.toExtensions());

    ChainLink parsed = ChainLink.of(checkpoint);

    assertThat(parsed).isEqualTo(link);
    assertThat(parsed.height()).isEqualTo(7);
    assertThat(parsed.timeMillis()).isEqualTo(1700000000123L);
    assertThat(parsed.follows(PREVIOUS_NOTE)).isTrue();
    assertThat(checkpoint.extensions().get(2)).startsWith("prev ").hasSize(5 + 44);
  }

  @Test
  void genesis_hasADashForPrev_andFollowsNothing() throws InvalidNoteException {
    ChainLink genesis = ChainLink.genesis(5);

    assertThat(genesis.toExtensions()).containsExactly("height 0", "time 5", "prev -");
    assertThat(genesis.follows(PREVIOUS_NOTE)).isFalse();
    assertThat(ChainLink.of(new Checkpoint("o", 0, ROOT, genesis.toExtensions())))
        .isEqualTo(genesis);
  }

  @Test
  void follows_anyOtherNote_isFalse() {
    byte[] other = PREVIOUS_NOTE.clone();
    other[0] ^= 1;

    assertThat(ChainLink.after(1, 0, PREVIOUS_NOTE).follows(other)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "height 1|time 2",
        "height 01|time 2|prev -",
        "height -1|time 2|prev -",
        "time 2|height 1|prev -",
        "height 0|time 2|prev AAAA",
        "height 1|time 2|prev -",
        "height 0|time 2|prev AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "height 1|time 2|prev AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "height 99999999999999999999|time 2|prev -",
        "height 0|time 2|prev -|extra"
      })
  void of_malformedLines_isRejected(String lines) {
    Checkpoint checkpoint = new Checkpoint("o", 0, ROOT, List.of(lines.split("\\|")));

    assertThatThrownBy(() -> ChainLink.of(checkpoint)).isInstanceOf(InvalidNoteException.class);
  }
}
