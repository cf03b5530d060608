package org.chartproof.server.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chartproof.server.auth.AuthTestKit.rsaKey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.chartproof.server.ChartproofApplication;
import org.chartproof.server.TestPostgres;
import org.chartproof.server.auth.AuthTestKit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Key administration over HTTP on the real server (PostgreSQL, embedded authorization): who may use
 * {@code /admin/keys}, a rotation started and followed there, and retirement refused and done. Data
 * keys are written straight into cp_data_key, wrapped with the server's own keystore file.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@SpringBootTest(
    classes = ChartproofApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
    properties = {"server.address=127.0.0.1", "chartproof.auth.mode=embedded"})
class KeyAdminIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final EmbeddedPostgres POSTGRES = TestPostgres.start();
  private static final Path DATA_DIR = AuthTestKit.tempDir("chartproof-keys");
  private static final int PORT = AuthTestKit.freePort();
  private static final RSAKey ADMIN_KEY = rsaKey("admin-1");
  private static final RSAKey LAB_KEY = rsaKey("lab-1");

  @Autowired DataSource dataSource;

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    AuthTestKit.address(registry, PORT);
    AuthTestKit.database(registry, POSTGRES, DATA_DIR);
    registry.add("chartproof.encryption.rotation.batch-size", () -> "50");
    client(registry, 0, "key-admin", ADMIN_KEY, true);
    client(registry, 1, "lab", LAB_KEY, false);
  }

  private static void client(
      DynamicPropertyRegistry registry, int i, String id, RSAKey key, boolean admin) {
    String prefix = "chartproof.auth.clients[" + i + "].";
    registry.add(prefix + "client-id", () -> id);
    registry.add(prefix + "jwks", () -> new JWKSet(key.toPublicJWK()).toString());
    registry.add(prefix + "scopes[0]", () -> "system/*.cruds");
    registry.add(prefix + "scopes[1]", () -> "system/Observation.rs");
    registry.add(prefix + "admin", () -> String.valueOf(admin));
  }

  private static String base() {
    return "http://127.0.0.1:" + PORT;
  }

  private static String token(RSAKey key, String clientId, String scope) throws Exception {
    return AuthTestKit.systemToken(base(), key, clientId, scope);
  }

  static HttpResponse<String> call(String base, String method, String path, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return AuthTestKit.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void onlyAnAdministratorsFullSystemToken_administersKeys() throws Exception {
    assertThat(call(base(), "GET", "/admin/keys/rotation", null).statusCode()).isEqualTo(401);
    assertThat(call(base(), "POST", "/admin/keys/rotation", null).statusCode()).isEqualTo(401);
    assertThat(call(base(), "POST", "/admin/keys/rotation", "not-a-token").statusCode())
        .isEqualTo(401);

    String lab = token(LAB_KEY, "lab", "system/*.cruds"); // all data, but not an administrator
    String narrowAdmin = token(ADMIN_KEY, "key-admin", "system/Observation.rs");
    for (String token : List.of(lab, narrowAdmin)) {
      assertThat(call(base(), "GET", "/admin/keys/rotation", token).statusCode()).isEqualTo(403);
      assertThat(call(base(), "POST", "/admin/keys/rotation", token).statusCode()).isEqualTo(403);
      assertThat(call(base(), "POST", "/admin/keys/retire?version=kek-1", token).statusCode())
          .isEqualTo(403);
    }
    String admin = token(ADMIN_KEY, "key-admin", "system/*.cruds");
    HttpResponse<String> status = call(base(), "GET", "/admin/keys/rotation", admin);
    assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
    assertThat(JSON.readTree(status.body()).get("activeVersion").asText()).startsWith("kek-");
  }

  @Test
  void rotation_overHttp_rewrapsEveryDataKey_thenTheOldVersionRetires() throws Exception {
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    Path keystore = DATA_DIR.resolve("keys/kek.p12");
    char[] password = Files.readString(KeySources.passwordFile(keystore)).trim().toCharArray();
    Pkcs12Keks keks = Pkcs12Keks.open(keystore, password, "password"); // the server's keys
    String admin = token(ADMIN_KEY, "key-admin", "system/*.cruds");
    JsonNode before = JSON.readTree(call(base(), "GET", "/admin/keys/rotation", admin).body());
    String from = before.get("activeVersion").asText();
    assertThat(keks.activeVersion()).isEqualTo(from);

    Map<String, byte[]> expected = new HashMap<>();
    for (int i = 0; i < 500; i++) {
      byte[] raw = KeyTestCases.randomKey();
      String compartment = "Patient/admin-it-" + i;
      jdbc.update(
          "INSERT INTO cp_data_key (compartment, key_id, kek_version, wrapped, created_at)"
              + " VALUES (?, ?, ?, ?, ?)",
          compartment,
          UUID.randomUUID().toString(),
          from,
          keks.wrap(raw),
          Timestamp.from(Instant.now()));
      expected.put(compartment, raw);
    }

    HttpResponse<String> started = call(base(), "POST", "/admin/keys/rotation", admin);
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    JsonNode rotation = JSON.readTree(started.body());
    String to = rotation.get("to").asText();
    assertThat(rotation.get("from").asText()).isEqualTo(from);
    assertThat(rotation.get("total").asLong()).isGreaterThanOrEqualTo(500);
    assertThat(started.body()).doesNotContainIgnoringCase("wrapped").doesNotContain("Patient/");

    JsonNode status = rotation;
    for (int i = 0; i < 600 && !status.get("state").asText().equals("DONE"); i++) {
      Thread.sleep(100);
      status = JSON.readTree(call(base(), "GET", "/admin/keys/rotation", admin).body());
    }
    assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("DONE");
    assertThat(status.get("remaining").asLong()).isZero();
    assertThat(status.get("done").asLong()).isEqualTo(status.get("total").asLong());
    assertThat(status.get("activeVersion").asText()).isEqualTo(to);

    HttpResponse<String> active = call(base(), "POST", "/admin/keys/retire?version=" + to, admin);
    assertThat(active.statusCode()).isEqualTo(409);
    assertThat(active.body()).contains("active");
    HttpResponse<String> retired =
        call(base(), "POST", "/admin/keys/retire?version=" + from, admin);
    assertThat(retired.statusCode()).as(retired.body()).isEqualTo(200);
    assertThat(JSON.readTree(retired.body()).get("state").asText()).isEqualTo("RETIRED");
    assertThat(JSON.readTree(retired.body()).get("versions").toString()).doesNotContain(from);

    // the keystore file as a restarted server reads it: only the new version, every key readable
    Pkcs12Keks reopened = Pkcs12Keks.open(keystore, password, "password");
    assertThat(reopened.versions()).doesNotContain(from).contains(to);
    for (Map<String, Object> row :
        jdbc.queryForList(
            "SELECT compartment, kek_version, wrapped FROM cp_data_key"
                + " WHERE compartment LIKE 'Patient/admin-it-%'")) {
      assertThat(row.get("kek_version")).isEqualTo(to);
      assertThat(reopened.unwrap(to, (byte[]) row.get("wrapped")))
          .isEqualTo(expected.get((String) row.get("compartment")));
    }
  }

  /** With authorization off, nobody administers keys, unless opened explicitly for local use. */
  @Test
  void authOff_keyAdministrationIsClosed() throws Exception {
    Path dir = AuthTestKit.tempDir("chartproof-keys-off");
    try (ConfigurableApplicationContext off =
        new SpringApplicationBuilder(ChartproofApplication.class)
            .run( // as command-line arguments, which win over application.yaml
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--chartproof.auth.mode=off",
                "--chartproof.storage.data-dir=" + dir)) { // the embedded H2 database there
      String offBase =
          "http://127.0.0.1:" + ((WebServerApplicationContext) off).getWebServer().getPort();
      assertThat(call(offBase, "GET", "/admin/keys/rotation", null).statusCode()).isEqualTo(403);
      assertThat(call(offBase, "POST", "/admin/keys/rotation", null).statusCode()).isEqualTo(403);
      assertThat(call(offBase, "POST", "/admin/keys/retire?version=kek-1", null).statusCode())
          .isEqualTo(403);
      // and the keystore was created under the data directory, with its password file
      assertThat(dir.resolve("keys/kek.p12")).exists();
      assertThat(dir.resolve("keys/kek.p12.password")).exists();
    }
  }
}
