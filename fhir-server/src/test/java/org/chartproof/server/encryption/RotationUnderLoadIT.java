package org.chartproof.server.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.chartproof.server.TestPostgres;
import org.chartproof.server.auth.AuthTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Online key rotation on the real server (PostgreSQL, encryption on) while clients read and write
 * over HTTP, patients created meanwhile included (their data keys are made during the rotation): no
 * request fails, the old key-encryption key retires, and every resource is readable afterwards and
 * after a restart. Authorization is off and the key API opened for local use (open-without-auth),
 * so that the load is plain FHIR; KeyAdminIT covers who may rotate.
 */
class RotationUnderLoadIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final EmbeddedPostgres POSTGRES = TestPostgres.start();

  @AfterAll
  static void stopDatabase() throws Exception {
    POSTGRES.close();
  }

  @Test
  void rotation_whileReadsAndWritesGoOn_failsNoRequest_andEverythingStaysReadable()
      throws Exception {
    Path dataDir = AuthTestKit.tempDir("chartproof-rotation");
    try (EncryptedServer server =
        EncryptedServer.start(
            POSTGRES,
            "rotation",
            dataDir,
            "--chartproof.encryption.rotation.open-without-auth=true",
            "--chartproof.encryption.rotation.batch-size=5")) {
      Queue<String> written = new ConcurrentLinkedQueue<>();
      for (int i = 0; i < 40; i++) {
        String patient = server.create("Patient", patient(i));
        written.add("Patient/" + patient);
        written.add("Observation/" + server.create("Observation", observation(patient, i)));
      }

      // load: reads of what exists, new Observations, and new patients (new data keys)
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong requests = new AtomicLong();
      Queue<String> failures = new ConcurrentLinkedQueue<>();
      ExecutorService load = Executors.newFixedThreadPool(3);
      for (int t = 0; t < 3; t++) {
        int thread = t;
        load.submit(
            () -> {
              int n = 0;
              while (running.get()) {
                try {
                  List<String> known = new ArrayList<>(written);
                  String target = known.get(ThreadLocalRandom.current().nextInt(known.size()));
                  HttpResponse<String> read = server.get("/fhir/" + target);
                  check(failures, "GET " + target, read, 200);
                  if (thread == 0 && n % 3 == 0) {
                    HttpResponse<String> created =
                        server.send("POST", "/fhir/Patient", patient(1000 + n));
                    check(failures, "POST Patient", created, 201);
                    written.add(location(created, "Patient"));
                  } else if (n % 2 == 0 && target.startsWith("Patient/")) {
                    HttpResponse<String> created =
                        server.send(
                            "POST",
                            "/fhir/Observation",
                            observation(target.substring("Patient/".length()), n));
                    check(failures, "POST Observation", created, 201);
                    written.add(location(created, "Observation"));
                  }
                  requests.incrementAndGet();
                  n++;
                } catch (Exception e) {
                  failures.add(e.toString());
                }
              }
              return null;
            });
      }

      Thread.sleep(1000);
      HttpResponse<String> started =
          KeyAdminIT.call(server.base(), "POST", "/admin/keys/rotation", null);
      assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
      JsonNode status = JSON.readTree(started.body());
      String from = status.get("from").asText();
      String to = status.get("to").asText();
      long requestsAtStart = requests.get();
      for (int i = 0; i < 600 && !status.get("state").asText().equals("DONE"); i++) {
        Thread.sleep(100);
        status =
            JSON.readTree(
                KeyAdminIT.call(server.base(), "GET", "/admin/keys/rotation", null).body());
      }
      Thread.sleep(1000); // writes go on under the new version
      running.set(false);
      load.shutdown();
      assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

      assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("DONE");
      assertThat(failures).as("failed requests during the rotation").isEmpty();
      assertThat(requests.get())
          .as("requests served while the rotation ran")
          .isGreaterThan(requestsAtStart);

      HttpResponse<String> retired =
          KeyAdminIT.call(server.base(), "POST", "/admin/keys/retire?version=" + from, null);
      assertThat(retired.statusCode()).as(retired.body()).isEqualTo(200);
      assertThat(
              server
                  .jdbc()
                  .queryForObject(
                      "SELECT COUNT(*) FROM cp_data_key WHERE destroyed_at IS NULL"
                          + " AND (kek_version IS NULL OR kek_version <> ?)",
                      Long.class,
                      to))
          .as("every data key wrapped under the new version")
          .isZero();
      assertAllReadable(server, written);

      server.stop();
      server.start();
      assertAllReadable(server, written);
    }
  }

  private static void assertAllReadable(EncryptedServer server, Queue<String> written)
      throws Exception {
    for (String resource : written) {
      HttpResponse<String> read = server.get("/fhir/" + resource);
      assertThat(read.statusCode()).as(resource + ": " + read.body()).isEqualTo(200);
    }
  }

  private static void check(
      Queue<String> failures, String what, HttpResponse<String> response, int expected) {
    if (response.statusCode() != expected) {
      failures.add(what + " answered " + response.statusCode() + ": " + response.body());
    }
  }

  private static String location(HttpResponse<String> created, String type) {
    String location = created.headers().firstValue("Location").orElseThrow();
    return type + "/" + location.replaceAll(".*/" + type + "/([^/]+)/_history/.*", "$1");
  }

  private static String patient(int i) {
    return "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Rotation" + i + "\"}]}";
  }

  private static String observation(String patient, int i) {
    return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":"
        + "[{\"system\":\"http://loinc.org\",\"code\":\"2345-7\"}]},"
        + "\"subject\":{\"reference\":\"Patient/"
        + patient
        + "\"},\"valueQuantity\":{\"value\":"
        + (i % 200)
        + ",\"unit\":\"mg/dL\"}}";
  }
}
