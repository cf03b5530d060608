package org.chartproof.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.chartproof.server.auth.AuthTestKit.clientAssertion;
import static org.chartproof.server.auth.AuthTestKit.database;
import static org.chartproof.server.auth.AuthTestKit.rsaKey;
import static org.chartproof.server.auth.AuthTestKit.tempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTParser;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.chartproof.server.ChartproofApplication;
import org.chartproof.server.TestPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * SMART App Launch against the embedded authorization server, driven like a browser and an app
 * would: authorize, log in on the login page, get the code at the redirect URI, exchange it with
 * the PKCE verifier; the patient's token reaches their record and not another's; refresh tokens for
 * a confidential app that asked for offline_access.
 */
// closed after the class, while its database still runs (TestPostgres stops it at JVM exit)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@SpringBootTest(
    classes = ChartproofApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
    properties = {"server.address=127.0.0.1", "chartproof.auth.mode=embedded"})
class AppLaunchIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REDIRECT = "http://127.0.0.1/callback";
  private static final String APP_SCOPES =
      "openid fhirUser launch/patient patient/*.rs offline_access";
  private static final RSAKey SYSTEM_KEY = rsaKey("sys-1");
  private static final RSAKey APP_KEY = rsaKey("app-1");
  private static final EmbeddedPostgres POSTGRES = TestPostgres.start();
  private static final Path DATA_DIR = tempDir("chartproof-app-launch");

  private static final int PORT = AuthTestKit.freePort();

  @LocalServerPort int port;

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    AuthTestKit.address(registry, PORT);
    database(registry, POSTGRES, DATA_DIR);
    registry.add("chartproof.auth.clients[0].client-id", () -> "records-system");
    registry.add(
        "chartproof.auth.clients[0].jwks", () -> new JWKSet(SYSTEM_KEY.toPublicJWK()).toString());
    registry.add("chartproof.auth.clients[0].scopes[0]", () -> "system/*.cruds");
    String hash = PasswordEncoderFactories.createDelegatingPasswordEncoder().encode("alice-secret");
    registry.add("chartproof.auth.users[0].username", () -> "alice");
    registry.add("chartproof.auth.users[0].password-hash", () -> hash);
    registry.add("chartproof.auth.users[0].fhir-user", () -> "Patient/pt-alice");
    registry.add("chartproof.auth.apps[0].client-id", () -> "phr");
    registry.add("chartproof.auth.apps[0].redirect-uris[0]", () -> REDIRECT);
    registry.add("chartproof.auth.apps[0].scopes", () -> APP_SCOPES.replace(' ', ','));
    registry.add("chartproof.auth.apps[1].client-id", () -> "phr-confidential");
    registry.add("chartproof.auth.apps[1].redirect-uris[0]", () -> REDIRECT);
    registry.add("chartproof.auth.apps[1].scopes", () -> APP_SCOPES.replace(' ', ','));
    registry.add(
        "chartproof.auth.apps[1].jwks", () -> new JWKSet(APP_KEY.toPublicJWK()).toString());
    registry.add("chartproof.auth.apps[2].client-id", () -> "staff-app");
    registry.add("chartproof.auth.apps[2].redirect-uris[0]", () -> REDIRECT);
    registry.add("chartproof.auth.apps[2].scopes", () -> "openid,fhirUser,user/*.cruds");
  }

  @BeforeEach
  void patients() throws Exception {
    String system = systemToken();
    for (String id : new String[] {"pt-alice", "pt-bob"}) {
      HttpResponse<String> put =
          send(
              HttpRequest.newBuilder(uri("/fhir/Patient/" + id))
                  .PUT(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"resourceType\":\"Patient\",\"id\":\""
                              + id
                              + "\",\"name\":[{\"family\":\""
                              + id
                              + "\"}]}"))
                  .header("Content-Type", "application/fhir+json")
                  .header("Authorization", "Bearer " + system),
              newBrowser());
      assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
    }
  }

  @Test
  void publicApp_withPkce_getsAPatientTokenForItsOwnRecordOnly() throws Exception {
    String verifier = verifier();
    String code = authorizeAndLogIn("phr", APP_SCOPES, challenge(verifier), "S256", "alice-secret");

    JsonNode token = JSON.readTree(exchange("phr", code, verifier, null).body());
    assertThat(token.get("patient").asText()).isEqualTo("pt-alice");
    assertThat(token.get("scope").asText().split(" "))
        .containsExactlyInAnyOrder(APP_SCOPES.split(" "));
    assertThat(token.has("refresh_token")).as("public apps get no refresh token").isFalse();
    assertThat(
            JWTParser.parse(token.get("id_token").asText()).getJWTClaimsSet().getClaim("fhirUser"))
        .isEqualTo(base() + "/fhir/Patient/pt-alice");

    String access = token.get("access_token").asText();
    assertThat(fhir("/fhir/Patient/pt-alice", access).statusCode()).isEqualTo(200);
    assertThat(fhir("/fhir/Patient/pt-bob", access).statusCode()).isEqualTo(403);
    assertThat(fhir("/fhir/Observation?_count=1", access).statusCode()).isEqualTo(200);
  }

  @Test
  void aPatientLoggingInToAStaffApp_staysInTheirOwnRecord() throws Exception {
    String verifier = verifier();
    String code =
        authorizeAndLogIn(
            "staff-app", "openid user/*.cruds", challenge(verifier), "S256", "alice-secret");
    JsonNode token = JSON.readTree(exchange("staff-app", code, verifier, null).body());
    String access = token.get("access_token").asText();
    assertThat(JWTParser.parse(access).getJWTClaimsSet().getClaim("patient")).isEqualTo("pt-alice");
    assertThat(fhir("/fhir/Patient/pt-bob", access).statusCode()).isEqualTo(403);
    assertThat(fhir("/fhir/Observation?_count=1", access).statusCode()).isIn(200, 403);
    assertThat(fhir("/fhir/Observation?subject=Patient/pt-bob", access).body())
        .doesNotContain("pt-bob\"");
  }

  @Test
  void pkceIsRequired_andChecked() throws Exception {
    String verifier = verifier();
    // "plain" is refused before anyone logs in: the app is sent back with an error
    HttpResponse<String> plain =
        send(
            HttpRequest.newBuilder(authorizeUri("phr", APP_SCOPES, verifier, "plain")).GET(),
            newBrowser());
    assertThat(plain.statusCode()).isEqualTo(302);
    assertThat(plain.headers().firstValue("Location").orElseThrow())
        .startsWith(REDIRECT)
        .contains("error=invalid_request");

    String code = authorizeAndLogIn("phr", APP_SCOPES, challenge(verifier), "S256", "alice-secret");
    HttpResponse<String> wrong =
        exchange("phr", code, verifier() /* not the one challenged */, null);
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(wrong.body()).get("error").asText()).isEqualTo("invalid_grant");
  }

  @Test
  void appsCannotAskForMoreThanRegistered_andPasswordsAreChecked() throws Exception {
    HttpResponse<String> escalation =
        send(
            HttpRequest.newBuilder(
                    authorizeUri("phr", "openid user/*.cruds", challenge(verifier()), "S256"))
                .GET(),
            newBrowser());
    assertThat(escalation.headers().firstValue("Location").orElseThrow())
        .contains("error=invalid_scope");

    HttpClient browser = newBrowser();
    send(
        HttpRequest.newBuilder(authorizeUri("phr", APP_SCOPES, challenge(verifier()), "S256"))
            .GET(),
        browser);
    HttpResponse<String> login = logIn(browser, "alice", "wrong-password");
    assertThat(login.headers().firstValue("Location").orElseThrow()).contains("/login?error");
  }

  @Test
  void confidentialApp_withOfflineAccess_refreshes() throws Exception {
    String verifier = verifier();
    String code =
        authorizeAndLogIn(
            "phr-confidential", APP_SCOPES, challenge(verifier), "S256", "alice-secret");
    JsonNode token = JSON.readTree(exchange("phr-confidential", code, verifier, APP_KEY).body());
    String refresh = token.get("refresh_token").asText();

    HttpResponse<String> refreshed =
        form(
            "/oauth2/token",
            Map.of(
                "grant_type",
                "refresh_token",
                "refresh_token",
                refresh,
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion",
                assertion(APP_KEY, "phr-confidential")));
    assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
    JsonNode again = JSON.readTree(refreshed.body());
    assertThat(again.get("patient").asText()).isEqualTo("pt-alice");
    assertThat(fhir("/fhir/Patient/pt-alice", again.get("access_token").asText()).statusCode())
        .isEqualTo(200);

    // without offline_access there is nothing to refresh with
    String verifier2 = verifier();
    String code2 =
        authorizeAndLogIn(
            "phr-confidential",
            "openid patient/*.rs",
            challenge(verifier2),
            "S256",
            "alice-secret");
    assertThat(
            JSON.readTree(exchange("phr-confidential", code2, verifier2, APP_KEY).body())
                .has("refresh_token"))
        .isFalse();
  }

  // ---- the browser and the app ----

  /** Authorize, be sent to the login page, log in, and come back with a code. */
  private String authorizeAndLogIn(
      String clientId, String scopes, String challenge, String method, String password)
      throws Exception {
    HttpClient browser = newBrowser();
    HttpResponse<String> first =
        send(
            HttpRequest.newBuilder(authorizeUri(clientId, scopes, challenge, method)).GET(),
            browser);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(302);
    assertThat(first.headers().firstValue("Location").orElseThrow()).endsWith("/login");
    HttpResponse<String> loggedIn = logIn(browser, "alice", password);
    assertThat(loggedIn.statusCode()).isEqualTo(302);
    HttpResponse<String> back =
        send(
            HttpRequest.newBuilder(
                    URI.create(loggedIn.headers().firstValue("Location").orElseThrow()))
                .GET(),
            browser);
    String location = back.headers().firstValue("Location").orElseThrow();
    assertThat(location).as(back.body()).startsWith(REDIRECT + "?code=").contains("state=xyz");
    Matcher code = Pattern.compile("code=([^&]+)").matcher(location);
    assertThat(code.find()).isTrue();
    return URLDecoder.decode(code.group(1), StandardCharsets.UTF_8);
  }

  private HttpResponse<String> logIn(HttpClient browser, String user, String password)
      throws Exception {
    HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/login")).GET(), browser);
    Matcher csrf =
        Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"").matcher(page.body());
    assertThat(csrf.find()).as(page.body()).isTrue();
    return send(
        HttpRequest.newBuilder(uri("/login"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    encode(
                        Map.of("username", user, "password", password, "_csrf", csrf.group(1))))),
        browser);
  }

  private HttpResponse<String> exchange(String clientId, String code, String verifier, RSAKey key)
      throws Exception {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("grant_type", "authorization_code");
    parameters.put("code", code);
    parameters.put("redirect_uri", REDIRECT);
    parameters.put("code_verifier", verifier);
    if (key == null) {
      parameters.put("client_id", clientId);
    } else {
      parameters.put(
          "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
      parameters.put("client_assertion", assertion(key, clientId));
    }
    return form("/oauth2/token", parameters);
  }

  private URI authorizeUri(String clientId, String scopes, String challenge, String method) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("response_type", "code");
    parameters.put("client_id", clientId);
    parameters.put("redirect_uri", REDIRECT);
    parameters.put("scope", scopes);
    parameters.put("state", "xyz");
    parameters.put("aud", base() + "/fhir");
    parameters.put("code_challenge", challenge);
    parameters.put("code_challenge_method", method);
    return uri("/oauth2/authorize?" + encode(parameters));
  }

  private String systemToken() throws Exception {
    HttpResponse<String> response =
        form(
            "/oauth2/token",
            Map.of(
                "grant_type", "client_credentials",
                "scope", "system/*.cruds",
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion", assertion(SYSTEM_KEY, "records-system")));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).get("access_token").asText();
  }

  private String assertion(RSAKey key, String clientId) throws Exception {
    return clientAssertion(
        key,
        JWSAlgorithm.RS384,
        clientId,
        base() + "/oauth2/token",
        Instant.now().plusSeconds(240),
        UUID.randomUUID().toString());
  }

  private HttpResponse<String> fhir(String path, String token) throws Exception {
    return send(
        HttpRequest.newBuilder(uri(path))
            .GET()
            .header("Accept", "application/fhir+json")
            .header("Authorization", "Bearer " + token),
        newBrowser());
  }

  private HttpResponse<String> form(String path, Map<String, String> parameters) throws Exception {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(encode(parameters))),
        newBrowser());
  }

  private static HttpResponse<String> send(HttpRequest.Builder request, HttpClient client)
      throws Exception {
    return client.send(
        request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A client that keeps cookies (the login session) and does not follow redirects. */
  private static HttpClient newBrowser() {
    return HttpClient.newBuilder()
        .cookieHandler(new CookieManager())
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  private static String encode(Map<String, String> parameters) {
    return parameters.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static String verifier() {
    byte[] random = new byte[32];
    new java.security.SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  private static String challenge(String verifier) throws Exception {
    byte[] hash =
        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
  }

  private URI uri(String path) {
    return URI.create(base() + path);
  }

  private String base() {
    return "http://127.0.0.1:" + port;
  }
}
