package org.chartproof.ledger.entry;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * ECMAScript {@code Number::toString(x)} for finite doubles, the number serialization RFC 8785
 * §3.2.2.3 requires. Java's {@link Double#toString(double)} differs in layout ({@code 1.0E21}
 * versus {@code 1e+21}) and, before Java 19, sometimes in the digits too.
 *
 * <p>The digits are the shortest that read back as the same double; where two candidates of that
 * length both do, the one closer to the exact value wins, and on a tie the even one (the
 * recommendation of ECMA-262 Note 2, which V8 and therefore RFC 8785's reference outputs follow).
 *
 * @see <a href="https://tc39.es/ecma262/#sec-numeric-types-number-tostring">ECMA-262
 *     Number::toString</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8785#section-3.2.2.3">RFC 8785 §3.2.2.3</a>
 */
final class EcmaNumber {

  /** Integers below 2^53 are exact doubles whose shortest digits are the integer itself. */
  private static final double EXACT_INTEGER_LIMIT = 0x1p53;

  /** Seventeen significant digits always identify a double uniquely. */
  private static final int MAX_DIGITS = 17;

  private EcmaNumber() {}

  /**
   * Returns the ECMAScript string form of {@code value}; both zeroes give {@code "0"}.
   *
   * @throws IllegalArgumentException if {@code value} is NaN or infinite, which JSON cannot carry
   */
  static String format(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("NaN and infinities have no JSON form");
    }
    if (value == 0) {
      return "0";
    }
    if (value < 0) {
      return "-" + format(-value);
    }
    if (value < EXACT_INTEGER_LIMIT && value == Math.rint(value)) {
      return Long.toString((long) value);
    }
    BigDecimal shortest = shortestDecimal(value).stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    return layout(digits, digits.length() - shortest.scale());
  }

  /**
   * Returns the decimal with the fewest significant digits that parses back to {@code value}.
   * Whether some {@code k}-digit decimal reads back is monotone in {@code k} (a {@code k}-digit one
   * is also a {@code k+1}-digit one), so a binary search over {@code k} finds the least.
   */
  private static BigDecimal shortestDecimal(double value) {
    BigDecimal exact = new BigDecimal(value);
    int low = 1;
    int high = MAX_DIGITS;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (roundTripping(exact, value, mid) != null) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return roundTripping(exact, value, low);
  }

  /**
   * Returns the {@code digits}-digit decimal nearest to {@code exact} that reads back as {@code
   * value}, or null if none does. Only the two neighbours of {@code exact} can: any other decimal
   * of that length lies farther out on the same side, and the round-trip interval is convex.
   */
  private static BigDecimal roundTripping(BigDecimal exact, double value, int digits) {
    BigDecimal down = exact.round(new MathContext(digits, RoundingMode.FLOOR));
    BigDecimal up = exact.round(new MathContext(digits, RoundingMode.CEILING));
    boolean downOk = readsBackAs(down, value);
    boolean upOk = readsBackAs(up, value);
    if (downOk && upOk) {
      int cmp = exact.subtract(down).compareTo(up.subtract(exact));
      if (cmp != 0) {
        return cmp < 0 ? down : up;
      }
      return down.unscaledValue().testBit(0) ? up : down;
    }
    return downOk ? down : upOk ? up : null;
  }

  // Double.parseDouble is specified to round correctly (round half to even), like JSON.parse.
  private static boolean readsBackAs(BigDecimal candidate, double value) {
    return Double.parseDouble(candidate.toString()) == value;
  }

  /**
   * Lays out digits {@code s} (no trailing zeroes, {@code k} of them) of the value {@code 0.s ×
   * 10^n} as steps 6 to 10 of Number::toString: plain up to 21 integer digits, {@code 0.000ddd}
   * down to 10^-6, exponential otherwise.
   */
  private static String layout(String s, int n) {
    int k = s.length();
    if (k <= n && n <= 21) {
      return s + "0".repeat(n - k);
    }
    if (0 < n && n <= 21) {
      return s.substring(0, n) + "." + s.substring(n);
    }
    if (-6 < n && n <= 0) {
      return "0." + "0".repeat(-n) + s;
    }
    int exponent = n - 1;
    String mantissa = k == 1 ? s : s.charAt(0) + "." + s.substring(1);
    return mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.abs(exponent);
  }
}
