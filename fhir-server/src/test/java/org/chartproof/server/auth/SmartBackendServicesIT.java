package org.chartproof.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chartproof.server.auth.AuthTestKit.clientAssertion;
import static org.chartproof.server.auth.AuthTestKit.database;
import static org.chartproof.server.auth.AuthTestKit.ecKey;
import static org.chartproof.server.auth.AuthTestKit.rsaKey;
import static org.chartproof.server.auth.AuthTestKit.serveJwks;
import static org.chartproof.server.auth.AuthTestKit.sign;
import static org.chartproof.server.auth.AuthTestKit.tempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.chartproof.ledger.entry.LedgerEntry;
import org.chartproof.ledger.entry.PseudonymKey;
import org.chartproof.server.ChartproofApplication;
import org.chartproof.server.TestPostgres;
import org.chartproof.server.storage.SecretKeyFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * SMART Backend Services over HTTP against the server on PostgreSQL: real signed client assertions
 * (RS384 with an inline JWK Set, ES384 with a JWK Set served by URL), the token endpoint's
 * refusals, bearer-token checks on the FHIR endpoint, and scopes enforced per interaction.
 */
// closed after the class, while its database still runs (TestPostgres stops it at JVM exit)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@SpringBootTest(
    classes = ChartproofApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
    properties = {
      "server.address=127.0.0.1",
      "chartproof.auth.mode=embedded",
      // authorization is under test: patients without Consents share (docs/adr/0007)
      "chartproof.consent.base-policy=opt-out"
    })
class SmartBackendServicesIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private static final RSAKey RSA_CLIENT_KEY = rsaKey("rsa-1");
  private static final ECKey EC_CLIENT_KEY = ecKey("ec-1");

  /** Has the RSA client's key id but is not its key. */
  private static final RSAKey IMPOSTOR_KEY = rsaKey("rsa-1");

  private static final EmbeddedPostgres POSTGRES = TestPostgres.start();
  private static final HttpServer JWKS_SERVER = serveJwks(EC_CLIENT_KEY, "jwks.json");
  private static final Path DATA_DIR = tempDir("chartproof-smart");

  private static final int PORT = AuthTestKit.freePort();

  @LocalServerPort int port;
  @Autowired DataSource dataSource;

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    AuthTestKit.address(registry, PORT);
    database(registry, POSTGRES, DATA_DIR);
    registry.add("chartproof.auth.clients[0].client-id", () -> "lab-rsa");
    registry.add(
        "chartproof.auth.clients[0].jwks",
        () -> new JWKSet(RSA_CLIENT_KEY.toPublicJWK()).toString());
    registry.add("chartproof.auth.clients[0].scopes[0]", () -> "system/Observation.cruds");
    registry.add("chartproof.auth.clients[0].scopes[1]", () -> "system/Patient.crs");
    registry.add("chartproof.auth.clients[1].client-id", () -> "lab-ec");
    registry.add(
        "chartproof.auth.clients[1].jwks-url",
        () -> "http://127.0.0.1:" + JWKS_SERVER.getAddress().getPort() + "/jwks.json");
    registry.add("chartproof.auth.clients[1].scopes[0]", () -> "system/*.rs");
  }

  @AfterAll
  static void stop() throws Exception {
    JWKS_SERVER.stop(0);
  }

  // ---- discovery and anonymous access ----

  @Test
  void discoveryIsPublic_andDataIsNot() throws Exception {
    HttpResponse<String> metadata = get("/fhir/metadata", null);
    assertThat(metadata.statusCode()).isEqualTo(200);
    JsonNode security = JSON.readTree(metadata.body()).at("/rest/0/security");
    assertThat(security.at("/service/0/coding/0/code").asText()).isEqualTo("SMART-on-FHIR");
    assertThat(security.at("/extension/0/extension/0/valueUri").asText())
        .isEqualTo(base() + "/oauth2/token");

    HttpResponse<String> smart = get("/fhir/.well-known/smart-configuration", null);
    assertThat(smart.statusCode()).isEqualTo(200);
    JsonNode config = JSON.readTree(smart.body());
    assertThat(config.get("token_endpoint").asText()).isEqualTo(base() + "/oauth2/token");
    assertThat(config.get("token_endpoint_auth_signing_alg_values_supported").toString())
        .contains("RS384", "ES384");
    assertThat(config.get("authorization_endpoint").asText())
        .isEqualTo(base() + "/oauth2/authorize");
    assertThat(config.get("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");

    HttpResponse<String> anonymous = get("/fhir/Patient", null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(post("/fhir/Patient", null, patientJson("Anon")).statusCode()).isEqualTo(401);
  }

  // ---- the two Backend Services flows ----

  @Test
  void rs384Client_writesAndReads_andTheLedgerRecordsItAsTheActor() throws Exception {
    String token =
        token(
            RSA_CLIENT_KEY,
            JWSAlgorithm.RS384,
            "lab-rsa",
            "system/Observation.cruds system/Patient.crs");

    HttpResponse<String> created = post("/fhir/Patient", token, patientJson("Rsa"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = JSON.readTree(created.body()).get("id").asText();
    assertThat(get("/fhir/Patient/" + id, token).statusCode()).isEqualTo(200);

    byte[] entry =
        jdbc()
            .queryForObject(
                "SELECT entry FROM cp_ledger_entry WHERE res_type = 'Patient' AND res_id = ?"
                    + " UNION ALL SELECT entry FROM cp_ledger_pending"
                    + " WHERE res_type = 'Patient' AND res_id = ?",
                byte[].class,
                id,
                id);
    PseudonymKey pseudonyms =
        SecretKeyFile.read(
            DATA_DIR.resolve("ledger-pseudonym.key"), "pseudonym key", PseudonymKey::of);
    assertThat(LedgerEntry.parse(entry).actor().value())
        .isEqualTo(pseudonyms.actor("client lab-rsa").value())
        .isNotEqualTo(pseudonyms.actor("unauthenticated").value());
  }

  @Test
  void es384Client_withKeysByUrl_searches() throws Exception {
    String token = token(EC_CLIENT_KEY, JWSAlgorithm.ES384, "lab-ec", "system/Observation.rs");
    HttpResponse<String> search = get("/fhir/Observation?_count=1", token);
    assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
    assertThat(JSON.readTree(search.body()).get("resourceType").asText()).isEqualTo("Bundle");
  }

  // ---- the token endpoint refuses ----

  @Test
  void tokenEndpoint_refusesBadAssertions() throws Exception {
    String tokenUrl = base() + "/oauth2/token";
    Instant soon = Instant.now().plusSeconds(120);
    String scope = "system/Observation.rs";

    assertRefused(
        clientAssertion(
            RSA_CLIENT_KEY,
            JWSAlgorithm.RS384,
            "lab-rsa",
            tokenUrl,
            Instant.now().minusSeconds(300),
            uuid()),
        scope,
        401,
        "invalid_client"); // expired
    assertRefused(
        clientAssertion(
            RSA_CLIENT_KEY, JWSAlgorithm.RS384, "lab-rsa", base() + "/fhir", soon, uuid()),
        scope,
        401,
        "invalid_client"); // wrong audience
    assertRefused(
        clientAssertion(
            RSA_CLIENT_KEY,
            JWSAlgorithm.RS384,
            "lab-rsa",
            tokenUrl,
            Instant.now().plusSeconds(1800),
            uuid()),
        scope,
        401,
        "invalid_client"); // valid for longer than five minutes
    assertRefused(
        clientAssertion(
            RSA_CLIENT_KEY, JWSAlgorithm.RS384, "no-such-client", tokenUrl, soon, uuid()),
        scope,
        401,
        "invalid_client"); // unknown client
    assertRefused(
        clientAssertion(IMPOSTOR_KEY, JWSAlgorithm.RS384, "lab-rsa", tokenUrl, soon, uuid()),
        scope,
        401,
        "invalid_client"); // a key the client did not register
    assertRefused(
        clientAssertion(RSA_CLIENT_KEY, JWSAlgorithm.RS256, "lab-rsa", tokenUrl, soon, uuid()),
        scope,
        401,
        "invalid_client"); // an algorithm SMART does not allow
    assertRefused( // no aud at all
        sign(
            RSA_CLIENT_KEY,
            JWSAlgorithm.RS384,
            new JWTClaimsSet.Builder()
                .issuer("lab-rsa")
                .subject("lab-rsa")
                .expirationTime(Date.from(soon))
                .jwtID(uuid())
                .build()),
        scope,
        401,
        "invalid_client");
    assertRefused(
        clientAssertion(
            RSA_CLIENT_KEY, JWSAlgorithm.RS384, "lab-rsa", tokenUrl, soon, "j".repeat(201)),
        scope,
        401,
        "invalid_client"); // a jti longer than the replay store keeps
    String genuine =
        clientAssertion(RSA_CLIENT_KEY, JWSAlgorithm.RS384, "lab-rsa", tokenUrl, soon, uuid());
    assertRefused(tamper(genuine), scope, 401, "invalid_client"); // changed after signing

    // a replayed assertion: accepted once, then refused
    String once =
        clientAssertion(RSA_CLIENT_KEY, JWSAlgorithm.RS384, "lab-rsa", tokenUrl, soon, uuid());
    assertThat(tokenRequest(once, scope).statusCode()).isEqualTo(200);
    assertRefused(once, scope, 401, "invalid_client");

    // scope escalation: more than registered, another context, nothing at all
    assertRefused(
        clientAssertion(RSA_CLIENT_KEY, JWSAlgorithm.RS384, "lab-rsa", tokenUrl, soon, uuid()),
        "system/Patient.cruds",
        400,
        "invalid_scope");
    assertRefused(
        clientAssertion(RSA_CLIENT_KEY, JWSAlgorithm.RS384, "lab-rsa", tokenUrl, soon, uuid()),
        "system/Encounter.r",
        400,
        "invalid_scope");
    assertRefused(
        clientAssertion(RSA_CLIENT_KEY, JWSAlgorithm.RS384, "lab-rsa", tokenUrl, soon, uuid()),
        "patient/Observation.rs",
        400,
        "invalid_scope");
    assertRefused(
        clientAssertion(RSA_CLIENT_KEY, JWSAlgorithm.RS384, "lab-rsa", tokenUrl, soon, uuid()),
        "",
        400,
        "invalid_scope");
  }

  /**
   * The issuer is configured, never taken from the Host header: an assertion a client made for
   * another server name (here "localhost" instead of the configured 127.0.0.1) is refused even when
   * sent with that name, and tokens name the configured issuer whatever name the client used.
   */
  @Test
  void anotherHostName_changesNeitherTheAssertionAudienceNorTheIssuer() throws Exception {
    String otherName = "http://localhost:" + port;
    Instant soon = Instant.now().plusSeconds(120);
    HttpResponse<String> foreign =
        tokenRequest(
            otherName + "/oauth2/token",
            clientAssertion(
                RSA_CLIENT_KEY,
                JWSAlgorithm.RS384,
                "lab-rsa",
                otherName + "/oauth2/token",
                soon,
                uuid()),
            "system/Patient.rs");
    assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(401);

    HttpResponse<String> issued =
        tokenRequest(
            otherName + "/oauth2/token",
            clientAssertion(
                RSA_CLIENT_KEY,
                JWSAlgorithm.RS384,
                "lab-rsa",
                base() + "/oauth2/token",
                soon,
                uuid()),
            "system/Patient.rs");
    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
    String token = JSON.readTree(issued.body()).get("access_token").asText();
    assertThat(SignedJWT.parse(token).getJWTClaimsSet().getIssuer()).isEqualTo(base());
    assertThat(AuthTestKit.get(otherName + "/fhir/Patient?_count=1", token).statusCode())
        .isEqualTo(200);

    // a token this server's key signed for the other name is not one of its tokens
    String forOtherName =
        accessToken(serverSigningKey(), otherName, otherName + "/fhir", soon.plusSeconds(300));
    assertThat(AuthTestKit.get(otherName + "/fhir/Patient?_count=1", forOtherName).statusCode())
        .isEqualTo(401);
  }

  // ---- the FHIR endpoint refuses ----

  @Test
  void fhirEndpoint_refusesBadTokens() throws Exception {
    RSAKey serverKey = serverSigningKey();
    String good = token(RSA_CLIENT_KEY, JWSAlgorithm.RS384, "lab-rsa", "system/Patient.rs");
    assertThat(get("/fhir/Patient?_count=1", good).statusCode()).isEqualTo(200);

    Instant now = Instant.now();
    assertInvalidToken(accessToken(serverKey, base(), base() + "/fhir", now.minusSeconds(600)));
    assertInvalidToken(
        accessToken(serverKey, base(), "https://other.example/fhir", now.plusSeconds(600)));
    assertInvalidToken(
        accessToken(serverKey, "https://other.example", base() + "/fhir", now.plusSeconds(600)));
    assertInvalidToken(accessToken(rsaKey("x"), base(), base() + "/fhir", now.plusSeconds(600)));
    assertInvalidToken(tamper(good));
  }

  // ---- scopes per interaction ----

  @Test
  void scopes_limitEveryInteraction() throws Exception {
    String writer =
        token(
            RSA_CLIENT_KEY,
            JWSAlgorithm.RS384,
            "lab-rsa",
            "system/Observation.cruds system/Patient.crs");
    String family = "Scoped" + UUID.randomUUID().toString().substring(0, 8);
    String patientId =
        JSON.readTree(post("/fhir/Patient", writer, patientJson(family)).body()).get("id").asText();
    HttpResponse<String> observation =
        post("/fhir/Observation", writer, observationJson(patientId));
    assertThat(observation.statusCode()).as(observation.body()).isEqualTo(201);

    String observationsOnly =
        token(RSA_CLIENT_KEY, JWSAlgorithm.RS384, "lab-rsa", "system/Observation.rs");
    assertThat(get("/fhir/Patient/" + patientId, observationsOnly).statusCode()).isEqualTo(403);
    assertThat(post("/fhir/Observation", observationsOnly, observationJson(patientId)).statusCode())
        .isEqualTo(403);
    HttpResponse<String> withInclude =
        get(
            "/fhir/Observation?subject=Patient/" + patientId + "&_include=Observation:subject",
            observationsOnly);
    assertThat(withInclude.statusCode()).as(withInclude.body()).isEqualTo(200);
    List<String> types = entryTypes(withInclude.body());
    assertThat(types).contains("Observation").doesNotContain("Patient");
    // the same search with Patient read access includes the patient: the filter is the scope
    assertThat(
            entryTypes(
                get(
                        "/fhir/Observation?subject=Patient/"
                            + patientId
                            + "&_include=Observation:subject",
                        writer)
                    .body()))
        .contains("Observation", "Patient");

    // a transaction is checked entry by entry: one entry it may not write refuses all of it
    String bundleFamily = "Bundled" + UUID.randomUUID().toString().substring(0, 8);
    String bundle =
        """
        {"resourceType":"Bundle","type":"transaction","entry":[
          {"fullUrl":"urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a",
           "resource":%s,"request":{"method":"POST","url":"Patient"}},
          {"resource":%s,"request":{"method":"POST","url":"Observation"}}]}
        """
            .formatted(
                patientJson(bundleFamily),
                observationJson("urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a"));
    String observationWriter =
        token(RSA_CLIENT_KEY, JWSAlgorithm.RS384, "lab-rsa", "system/Observation.c");
    HttpResponse<String> refused = post("/fhir", observationWriter, bundle);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    assertThat(entryTypes(get("/fhir/Patient?family=" + bundleFamily, writer).body())).isEmpty();
    assertThat(post("/fhir", writer, bundle).statusCode()).isEqualTo(200);
    assertThat(entryTypes(get("/fhir/Patient?family=" + bundleFamily, writer).body()))
        .containsExactly("Patient");
  }

  // ---- helpers ----

  private void assertRefused(String assertion, String scope, int status, String error)
      throws Exception {
    HttpResponse<String> response = tokenRequest(assertion, scope);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo(error);
  }

  private void assertInvalidToken(String token) throws Exception {
    HttpResponse<String> response = get("/fhir/Patient?_count=1", token);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).contains("error=\"invalid_token\""));
  }

  private String token(JWK key, JWSAlgorithm algorithm, String clientId, String scope)
      throws Exception {
    String assertion =
        clientAssertion(
            key,
            algorithm,
            clientId,
            base() + "/oauth2/token",
            Instant.now().plusSeconds(240),
            uuid());
    HttpResponse<String> response = tokenRequest(assertion, scope);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
    assertThat(body.get("scope").asText().split(" ")).containsExactlyInAnyOrder(scope.split(" "));
    return body.get("access_token").asText();
  }

  /** A token request as SMART Backend Services sends it: no client_id, only the assertion. */
  private HttpResponse<String> tokenRequest(String assertion, String scope) throws Exception {
    return tokenRequest(base() + "/oauth2/token", assertion, scope);
  }

  private HttpResponse<String> tokenRequest(String tokenUrl, String assertion, String scope)
      throws Exception {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "client_credentials");
    form.put("scope", scope);
    form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    form.put("client_assertion", assertion);
    String body =
        form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(tokenUrl))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String accessToken(RSAKey key, String issuer, String audience, Instant expires)
      throws Exception {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .subject("lab-rsa")
            .audience(audience)
            .issueTime(Date.from(expires.minusSeconds(600)))
            .expirationTime(Date.from(expires))
            .claim("scope", "system/Patient.rs")
            .claim("client_id", "lab-rsa")
            .build();
    return sign(key, JWSAlgorithm.RS256, claims);
  }

  /** Changes one character of the payload, keeping the signature. */
  private static String tamper(String jwt) {
    String[] parts = jwt.split("\\.");
    char[] payload = parts[1].toCharArray();
    int i = payload.length / 2;
    payload[i] = payload[i] == 'A' ? 'B' : 'A';
    return parts[0] + "." + new String(payload) + "." + parts[2];
  }

  private RSAKey serverSigningKey() throws Exception {
    byte[] pkcs8 =
        java.util.Base64.getDecoder()
            .decode(Files.readString(DATA_DIR.resolve("auth-signing.key")).trim());
    java.security.KeyFactory factory = java.security.KeyFactory.getInstance("RSA");
    java.security.interfaces.RSAPrivateCrtKey secret =
        (java.security.interfaces.RSAPrivateCrtKey)
            factory.generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(pkcs8));
    java.security.interfaces.RSAPublicKey open =
        (java.security.interfaces.RSAPublicKey)
            factory.generatePublic(
                new java.security.spec.RSAPublicKeySpec(
                    secret.getModulus(), secret.getPublicExponent()));
    return new RSAKey.Builder(open).privateKey(secret).keyIDFromThumbprint().build();
  }

  private static List<String> entryTypes(String bundle) throws Exception {
    JsonNode entries = JSON.readTree(bundle).path("entry");
    return java.util.stream.StreamSupport.stream(entries.spliterator(), false)
        .map(e -> e.at("/resource/resourceType").asText())
        .toList();
  }

  private static String patientJson(String family) {
    return "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\"}]}";
  }

  private static String observationJson(String subject) {
    String reference = subject.startsWith("urn:") ? subject : "Patient/" + subject;
    return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"hr\"},"
        + "\"subject\":{\"reference\":\""
        + reference
        + "\"},\"valueQuantity\":{\"value\":72,\"unit\":\"/min\"}}";
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    return AuthTestKit.get(base() + path, token);
  }

  private HttpResponse<String> post(String path, String token, String json) throws Exception {
    return AuthTestKit.post(base() + path, token, json);
  }

  private JdbcTemplate jdbc() {
    return new JdbcTemplate(dataSource);
  }

  private String base() {
    return "http://127.0.0.1:" + port;
  }

  private static String uuid() {
    return UUID.randomUUID().toString();
  }
}
