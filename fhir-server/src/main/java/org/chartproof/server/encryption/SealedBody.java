package org.chartproof.server.encryption;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;

/**
 * The byte format of an encrypted resource body (docs/encryption.md, "Body format"):
 *
 * <pre>
 * sealed = 0x01 || nonce (12 bytes) || AES-256-GCM ciphertext of the UTF-8 JSON || tag (16 bytes)
 * associated data = UTF-8("chartproof-body/v1\n" type "\n" id "\n" version "\n" keyId)
 * </pre>
 *
 * FHIR types, ids (<code>[A-Za-z0-9\-.]{1,64}</code>), decimal versions and key ids contain no
 * newline, so the associated data is unambiguous.
 */
final class SealedBody {

  /** The first byte of every sealed body: format version 1. */
  static final byte FORMAT_V1 = 0x01;

  static final String LABEL = "chartproof-body/v1";

  /** The version a body belongs to and the data key it is sealed under. */
  record Binding(String type, String id, long version, String keyId) {
    Binding {
      if (type == null || id == null || keyId == null || version < 1) {
        throw new IllegalArgumentException("a body binding needs type, id, version and key id");
      }
    }

    byte[] associatedData() {
      return (LABEL + "\n" + type + "\n" + id + "\n" + version + "\n" + keyId)
          .getBytes(StandardCharsets.UTF_8);
    }

    String subject() {
      return type + "/" + id + "/_history/" + version;
    }
  }

  private SealedBody() {}

  static byte[] seal(DataKey key, Binding binding, byte[] json, SecureRandom random) {
    if (!key.id().equals(binding.keyId())) {
      throw new IllegalArgumentException("the binding names another key than the one sealing");
    }
    byte[] sealed = key.seal(json, binding.associatedData(), random);
    byte[] out = new byte[1 + sealed.length];
    out[0] = FORMAT_V1;
    System.arraycopy(sealed, 0, out, 1, sealed.length);
    return out;
  }

  /**
   * @throws AEADBadTagException if the body does not authenticate for this binding and key
   */
  static byte[] open(DataKey key, Binding binding, byte[] sealed) throws AEADBadTagException {
    if (sealed.length < 1 || sealed[0] != FORMAT_V1) {
      throw new AEADBadTagException("unknown body format");
    }
    return key.open(sealed, 1, binding.associatedData());
  }
}
