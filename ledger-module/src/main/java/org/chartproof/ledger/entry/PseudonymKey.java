package org.chartproof.ledger.entry;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret key that turns resource ids and actors into {@link Pseudonym}s, so that ledger entries
 * never carry raw ids:
 *
 * <pre>
 * resource pseudonym = HMAC-SHA256(key, "chartproof-pseudonym-v1\nresource\n" || type || "/" || id)
 * actor pseudonym    = HMAC-SHA256(key, "chartproof-pseudonym-v1\nactor\n" || actor)
 * </pre>
 *
 * with the strings UTF-8 encoded and nothing after the last field. The fixed prefixes ({@link
 * #RESOURCE_DOMAIN}, {@link #ACTOR_DOMAIN}) keep resource and actor pseudonyms apart even for equal
 * strings. By hand:
 *
 * <pre>
 * printf 'chartproof-pseudonym-v1\nresource\nObservation/obs-1' \
 *   | openssl dgst -sha256 -mac HMAC -macopt hexkey:$KEY_HEX
 * </pre>
 *
 * <p>The key must be at least {@value #MIN_SIZE} bytes. Whoever holds it can test guessed ids
 * against the ledger, so it is as sensitive as the ids themselves; changing it changes every
 * pseudonym. {@link #toString()} and exception messages never reveal it. Thread-safe.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2104">RFC 2104 (HMAC)</a>
 */
public final class PseudonymKey {

  /** Shortest accepted key in bytes. */
  public static final int MIN_SIZE = 32;

  /** Prefix of the HMAC input for resource pseudonyms. */
  public static final String RESOURCE_DOMAIN = "chartproof-pseudonym-v1\nresource\n";

  /** Prefix of the HMAC input for actor pseudonyms. */
  public static final String ACTOR_DOMAIN = "chartproof-pseudonym-v1\nactor\n";

  /** Longest accepted actor, in UTF-16 code units. */
  public static final int MAX_ACTOR_LENGTH = 1024;

  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  // SecretKeySpec keeps its own copy of the bytes.
  private PseudonymKey(byte[] key) {
    this.key = new SecretKeySpec(key, ALGORITHM);
  }

  /**
   * Returns the key with the given bytes (copied).
   *
   * @throws IllegalArgumentException if {@code key} is shorter than {@value #MIN_SIZE} bytes
   */
  public static PseudonymKey of(byte[] key) {
    if (key.length < MIN_SIZE) {
      throw new IllegalArgumentException("pseudonym key must be at least " + MIN_SIZE + " bytes");
    }
    return new PseudonymKey(key);
  }

  /** Returns a fresh {@value #MIN_SIZE}-byte key drawn from {@code random}. */
  public static PseudonymKey generate(SecureRandom random) {
    byte[] key = new byte[MIN_SIZE];
    random.nextBytes(key);
    PseudonymKey pseudonymKey = new PseudonymKey(key);
    Arrays.fill(key, (byte) 0);
    return pseudonymKey;
  }

  /**
   * Returns the pseudonym of resource {@code resourceType/id}.
   *
   * @throws IllegalArgumentException if the type is not {@code [A-Z][A-Za-z]{1,63}} or the id not a
   *     FHIR id ({@code [A-Za-z0-9\-.]{1,64}})
   */
  public Pseudonym resource(String resourceType, String id) {
    FhirNames.requireResourceType(resourceType);
    if (!FhirNames.ID.matcher(id).matches()) {
      throw new IllegalArgumentException("id must be a FHIR id, [A-Za-z0-9\\-.]{1,64}");
    }
    return hmac(RESOURCE_DOMAIN + resourceType + "/" + id);
  }

  /**
   * Returns the pseudonym of an actor, such as {@code Practitioner/123} or a client id. The same
   * actor must always be given as the same string for its entries to link.
   *
   * @throws IllegalArgumentException if {@code actor} is empty, longer than {@value
   *     #MAX_ACTOR_LENGTH}, contains a control character (C0, DEL or C1) or a lone surrogate (which
   *     has no UTF-8 form and would collide with other actors)
   */
  public Pseudonym actor(String actor) {
    if (actor.isEmpty()
        || actor.length() > MAX_ACTOR_LENGTH
        || actor.chars().anyMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f))
        || JsonStrings.loneSurrogateIndex(actor) >= 0) {
      throw new IllegalArgumentException(
          "actor must be 1 to " + MAX_ACTOR_LENGTH + " characters without controls");
    }
    return hmac(ACTOR_DOMAIN + actor);
  }

  private Pseudonym hmac(String message) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return new Pseudonym(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      // Message only: the cause of an InvalidKeyException could describe the key.
      throw new IllegalStateException("every Java platform must provide HmacSHA256");
    }
  }

  @Override
  public String toString() {
    return "PseudonymKey[redacted]";
  }
}
