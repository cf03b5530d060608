package org.chartproof.server.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.chartproof.server.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Stored ciphertexts changed behind the server's back, on PostgreSQL and over HTTP: a flipped byte,
 * two rows' ciphertexts swapped, two versions' body addresses swapped, a restart with the wrong
 * key-encryption key. Each read of an affected version fails with a clear OperationOutcome naming
 * the version; everything else keeps being served.
 */
class TamperIT {

  private static final EmbeddedPostgres POSTGRES = TestPostgres.start();

  @TempDir Path dataDir;

  @Test
  void alteredCiphertexts_failTheirReadsOnly_andTheWrongKekFailsEveryOldRead() throws Exception {
    try (EncryptedServer server = EncryptedServer.start(POSTGRES, "tamper", dataDir)) {
      String patient =
          server.create(
              "Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Tamper\"}]}");
      String flipped = observation(server, patient, "flipped");
      String swapA = observation(server, patient, "swapA");
      String swapB = observation(server, patient, "swapB");
      String movedA = observation(server, patient, "movedA");
      String movedB = observation(server, patient, "movedB");
      String intact = observation(server, patient, "intact");
      JdbcTemplate db = server.jdbc();

      // 1. a flipped byte in the middle of a ciphertext
      db.update(
          "UPDATE cp_resource_body SET sealed = set_byte(sealed, 20, get_byte(sealed, 20) # 1)"
              + " WHERE res_type = 'Observation' AND res_id = ?",
          flipped);
      assertIntegrityFailure(server, "Observation/" + flipped, 1);

      // 2. two rows' ciphertexts swapped (same patient, same key: only the binding tells)
      db.update(
          "UPDATE cp_resource_body b SET sealed = o.sealed FROM cp_resource_body o"
              + " WHERE b.res_type = 'Observation' AND o.res_type = 'Observation'"
              + " AND ((b.res_id = ? AND o.res_id = ?) OR (b.res_id = ? AND o.res_id = ?))",
          swapA,
          swapB,
          swapB,
          swapA);
      assertIntegrityFailure(server, "Observation/" + swapA, 1);
      assertIntegrityFailure(server, "Observation/" + swapB, 1);

      // 3. two versions pointing at each other's (intact) bodies
      db.update(
          "UPDATE hfj_res_ver v SET res_text_vc = o.res_text_vc FROM hfj_res_ver o, hfj_resource"
              + " rv, hfj_resource ro WHERE rv.res_id = v.res_id AND ro.res_id = o.res_id"
              + " AND ((rv.fhir_id = ? AND ro.fhir_id = ?) OR (rv.fhir_id = ? AND ro.fhir_id = ?))",
          movedA,
          movedB,
          movedB,
          movedA);
      assertIntegrityFailure(server, "Observation/" + movedA, 1);
      assertIntegrityFailure(server, "Observation/" + movedB, 1);

      // everything else is still served, reads and searches and writes
      assertOk(server.get("/fhir/Observation/" + intact));
      assertOk(server.get("/fhir/Patient/" + patient));
      assertOk(server.get("/fhir/Patient?_id=" + patient));
      observation(server, patient, "after");
      assertThat(server.get("/fhir/metadata").statusCode()).isEqualTo(200);

      // 4. restart with another key-encryption keystore
      server.stop();
      Files.delete(StoredBodyReader.embeddedKeystore(dataDir));
      Files.delete(dataDir.resolve("keys").resolve("kek.p12.password"));
      server.start();
      HttpResponse<String> wrongKek = server.get("/fhir/Observation/" + intact);
      assertThat(wrongKek.statusCode()).as(wrongKek.body()).isEqualTo(500);
      assertThat(wrongKek.body())
          .contains("OperationOutcome")
          .contains("Observation/" + intact + "/_history/1 cannot be decrypted")
          .contains("does not authenticate under KEK kek-1");
      // a new patient gets a new data key under the new KEK, and is served
      String newcomer =
          server.create(
              "Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Newcomer\"}]}");
      assertOk(server.get("/fhir/Patient/" + newcomer));
    }
  }

  private static String observation(EncryptedServer server, String patient, String note)
      throws Exception {
    return server.create(
        "Observation",
        """
        {"resourceType":"Observation","status":"final",
         "code":{"coding":[{"system":"http://loinc.org","code":"718-7"}]},
         "subject":{"reference":"Patient/%s"},"note":[{"text":"%s"}]}
        """
            .formatted(patient, note));
  }

  private static void assertIntegrityFailure(EncryptedServer server, String id, int version)
      throws Exception {
    HttpResponse<String> response = server.get("/fhir/" + id);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(500);
    assertThat(response.body())
        .contains("OperationOutcome")
        .contains("The stored content of " + id + "/_history/" + version)
        .contains("failed its integrity check");
  }

  private static void assertOk(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }
}
