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
import java.nio.file.Files;
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
import javax.sql.DataSource;
import org.chartproof.server.ChartproofApplication;
import org.chartproof.server.TestPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.util.HtmlUtils;

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
    properties = {
      "server.address=127.0.0.1",
      "chartproof.auth.mode=embedded",
      // authorization is under test: patients without Consents share (docs/adr/0007)
      "chartproof.consent.base-policy=opt-out"
    })
class AppLaunchIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REDIRECT = "http://127.0.0.1/callback";
  private static final String APP_SCOPES =
      "openid fhirUser launch/patient patient/*.rs offline_access";
  private static final RSAKey SYSTEM_KEY = rsaKey("sys-1");
  private static final RSAKey APP_KEY = rsaKey("app-1");
  private static final RSAKey EHR_KEY = rsaKey("ehr-1");
  private static final String CHART_SCOPES = "openid fhirUser launch launch/patient patient/*.rs";
  private static final EmbeddedPostgres POSTGRES = TestPostgres.start();
  private static final Path DATA_DIR = tempDir("chartproof-app-launch");

  private static final int PORT = AuthTestKit.freePort();

  @LocalServerPort int port;
  @Autowired DataSource dataSource;

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
    // a practitioner and a related person who open a chart app for a patient
    registry.add("chartproof.auth.users[1].username", () -> "carol");
    registry.add("chartproof.auth.users[1].password-hash", () -> hash("carol-secret"));
    registry.add("chartproof.auth.users[1].fhir-user", () -> "Practitioner/pr-carol");
    registry.add("chartproof.auth.users[2].username", () -> "dan");
    registry.add("chartproof.auth.users[2].password-hash", () -> hash("dan-secret"));
    registry.add("chartproof.auth.users[2].fhir-user", () -> "RelatedPerson/rp-dan");
    registry.add("chartproof.auth.apps[3].client-id", () -> "chart-app");
    registry.add("chartproof.auth.apps[3].redirect-uris[0]", () -> REDIRECT);
    registry.add("chartproof.auth.apps[3].scopes", () -> CHART_SCOPES.replace(' ', ','));
    // an EHR that launches apps
    registry.add("chartproof.auth.clients[1].client-id", () -> "ehr");
    registry.add(
        "chartproof.auth.clients[1].jwks", () -> new JWKSet(EHR_KEY.toPublicJWK()).toString());
    registry.add("chartproof.auth.clients[1].scopes[0]", () -> "system/Patient.rs");
    registry.add("chartproof.auth.clients[1].ehr-launch", () -> "true");
    registry.add("chartproof.auth.demo", () -> "on"); // off by default on PostgreSQL
  }

  private static String hash(String password) {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(password);
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
    HttpResponse<String> related =
        send(
            HttpRequest.newBuilder(uri("/fhir/RelatedPerson/rp-dan"))
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"resourceType\":\"RelatedPerson\",\"id\":\"rp-dan\","
                            + "\"patient\":{\"reference\":\"Patient/pt-bob\"}}"))
                .header("Content-Type", "application/fhir+json")
                .header("Authorization", "Bearer " + system),
            newBrowser());
    assertThat(related.statusCode()).as(related.body()).isIn(200, 201);
  }

  // ---- the demo setup ----

  @Test
  void demoSetup_worksWithTheFilesItWrites() throws Exception {
    Path demo = DATA_DIR.resolve("demo");
    // the Backend Services client, with the private key from demo-system.pem
    String pem = Files.readString(demo.resolve("demo-system.pem"));
    RSAKey demoKey =
        SigningKeys.fromPkcs8(
                Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").strip()))
            .keyID("demo-system-1")
            .build();
    String system = token(demoKey, "demo-system", "system/*.cruds");
    assertThat(fhir("/fhir/Patient/demo-patient", system).statusCode()).isEqualTo(200);
    assertThat(fhir("/fhir/Practitioner/demo-doctor", system).statusCode()).isEqualTo(200);

    // the patient user, with the password from users.txt, through the demo app and its callback
    String password =
        Files.readAllLines(demo.resolve("users.txt")).stream()
            .filter(line -> line.startsWith("demo-patient "))
            .map(line -> line.split(" ")[1])
            .findFirst()
            .orElseThrow();
    String callback = base() + "/demo/callback";
    String verifier = verifier();
    HttpClient browser = newBrowser();
    HttpResponse<String> back =
        logInAndAuthorize(
            browser,
            authorizeUri(
                "demo-app",
                "openid launch/patient patient/*.rs",
                challenge(verifier),
                "S256",
                callback),
            "demo-patient",
            password);
    assertThat(back.headers().firstValue("Location").orElseThrow()).startsWith(callback + "?code=");
    HttpResponse<String> page = follow(back, browser);
    Matcher code = Pattern.compile("code: (\\S+)").matcher(page.body());
    assertThat(code.find()).as(page.body()).isTrue();
    JsonNode token =
        JSON.readTree(exchange("demo-app", code.group(1), verifier, null, callback).body());
    assertThat(token.get("patient").asText()).isEqualTo("demo-patient");
  }

  // ---- launch contexts: the patient picker and EHR launch ----

  @Test
  void practitioner_standaloneLaunch_choosesThePatientInThePicker() throws Exception {
    String verifier = verifier();
    HttpClient browser = newBrowser();
    HttpResponse<String> picker =
        logInAndAuthorize(
            browser,
            authorizeUri(
                "chart-app",
                "openid fhirUser launch/patient patient/*.rs",
                challenge(verifier),
                "S256"),
            "carol",
            "carol-secret");
    assertThat(picker.statusCode()).isEqualTo(302);
    String pickerUrl = picker.headers().firstValue("Location").orElseThrow();
    assertThat(pickerUrl).contains("/launch/patient?authorize=");

    HttpResponse<String> page =
        send(HttpRequest.newBuilder(uri("/").resolve(pickerUrl + "&name=pt-bob")).GET(), browser);
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    assertThat(page.body()).contains("(Patient/pt-bob)").doesNotContain("(Patient/pt-alice)");

    HttpResponse<String> back = choose(browser, page.body(), "pt-bob");
    assertThat(back.statusCode()).as(back.body()).isEqualTo(302);
    assertThat(back.headers().firstValue("Location").orElseThrow())
        .contains("/oauth2/authorize?")
        .contains("&launch=");
    String code = codeFrom(follow(back, browser));

    JsonNode token = JSON.readTree(exchange("chart-app", code, verifier, null).body());
    assertThat(token.get("patient").asText()).isEqualTo("pt-bob");
    String access = token.get("access_token").asText();
    assertThat(JWTParser.parse(access).getJWTClaimsSet().getClaim("fhirUser"))
        .isEqualTo("Practitioner/pr-carol");
    assertThat(fhir("/fhir/Patient/pt-bob", access).statusCode()).isEqualTo(200);
    assertThat(fhir("/fhir/Patient/pt-alice", access).statusCode()).isEqualTo(403);
  }

  @Test
  void relatedPerson_mayChooseOnlyThePatientTheyAreRelatedTo() throws Exception {
    HttpClient browser = newBrowser();
    HttpResponse<String> picker =
        logInAndAuthorize(
            browser,
            authorizeUri(
                "chart-app", "openid launch/patient patient/*.rs", challenge(verifier()), "S256"),
            "dan",
            "dan-secret");
    String pickerUrl = picker.headers().firstValue("Location").orElseThrow();
    HttpResponse<String> page =
        send(HttpRequest.newBuilder(uri("/").resolve(pickerUrl)).GET(), browser);
    assertThat(page.body()).contains("(Patient/pt-bob)").doesNotContain("(Patient/pt-alice)");

    HttpResponse<String> other = choose(browser, page.body(), "pt-alice");
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(choose(browser, page.body(), "pt-bob").statusCode()).isEqualTo(302);

    // an inactive RelatedPerson speaks for nobody (the rule Consent writes follow too)
    HttpResponse<String> inactive =
        send(
            HttpRequest.newBuilder(uri("/fhir/RelatedPerson/rp-dan"))
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"resourceType\":\"RelatedPerson\",\"id\":\"rp-dan\",\"active\":false,"
                            + "\"patient\":{\"reference\":\"Patient/pt-bob\"}}"))
                .header("Content-Type", "application/fhir+json")
                .header("Authorization", "Bearer " + systemToken()),
            newBrowser());
    assertThat(inactive.statusCode()).as(inactive.body()).isEqualTo(200);
    assertThat(choose(browser, page.body(), "pt-bob").statusCode()).isEqualTo(403);
  }

  @Test
  void ehrLaunch_tokenNamesTheLaunchedPatient_andLaunchesAreBoundAndChecked() throws Exception {
    HttpResponse<String> notAnEhr = launchRequest(systemToken(), "patient=pt-alice&user=carol");
    assertThat(notAnEhr.statusCode()).as(notAnEhr.body()).isEqualTo(403);
    String ehr = token(EHR_KEY, "ehr", "system/Patient.rs");
    assertThat(launchRequest(ehr, "patient=no-such-patient").statusCode()).isEqualTo(400);
    assertThat(launchRequest(null, "patient=pt-alice").statusCode()).isEqualTo(401);

    HttpResponse<String> created = launchRequest(ehr, "patient=pt-alice&user=carol");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String launch = JSON.readTree(created.body()).get("launch").asText();

    // the launch is carol's: dan cannot use it
    HttpResponse<String> dans =
        logInAndAuthorize(
            newBrowser(),
            withLaunch(
                authorizeUri(
                    "chart-app", "openid launch patient/*.rs", challenge(verifier()), "S256"),
                launch),
            "dan",
            "dan-secret");
    assertThat(dans.headers().firstValue("Location").orElseThrow())
        .startsWith(REDIRECT)
        .contains("error=invalid_request");

    // the launch scope without a launch, and an unknown launch, are refused
    HttpResponse<String> missing =
        send(
            HttpRequest.newBuilder(
                    authorizeUri(
                        "chart-app", "openid launch patient/*.rs", challenge(verifier()), "S256"))
                .GET(),
            newBrowser());
    assertThat(missing.headers().firstValue("Location").orElseThrow())
        .contains("error=invalid_request");
    HttpResponse<String> unknown =
        logInAndAuthorize(
            newBrowser(),
            withLaunch(
                authorizeUri(
                    "chart-app", "openid launch patient/*.rs", challenge(verifier()), "S256"),
                "made-up"),
            "carol",
            "carol-secret");
    assertThat(unknown.headers().firstValue("Location").orElseThrow())
        .contains("error=invalid_request");

    String verifier = verifier();
    HttpResponse<String> back =
        logInAndAuthorize(
            newBrowser(),
            withLaunch(
                authorizeUri(
                    "chart-app", "openid launch patient/*.rs", challenge(verifier), "S256"),
                launch),
            "carol",
            "carol-secret");
    JsonNode token = JSON.readTree(exchange("chart-app", codeFrom(back), verifier, null).body());
    assertThat(token.get("patient").asText()).isEqualTo("pt-alice");
    String access = token.get("access_token").asText();
    assertThat(fhir("/fhir/Patient/pt-alice", access).statusCode()).isEqualTo(200);
    assertThat(fhir("/fhir/Patient/pt-bob", access).statusCode()).isEqualTo(403);
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
    // kept in the database (every instance can refresh it, also after a restart); the systems'
    // client_credentials grants are not kept at all
    JdbcTemplate db = new JdbcTemplate(dataSource);
    assertThat(
            db.queryForObject(
                "SELECT count(*) FROM oauth2_authorization WHERE refresh_token_value = ?",
                Integer.class,
                refresh))
        .isEqualTo(1);
    assertThat(
            db.queryForObject(
                "SELECT count(*) FROM oauth2_authorization"
                    + " WHERE authorization_grant_type = 'client_credentials'",
                Integer.class))
        .isZero();

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

  /**
   * Authorize, log in as {@code user} on the login page it sends to, and return the answer to the
   * authorize request replayed after login (a redirect: to the app, or to the patient picker).
   */
  private HttpResponse<String> logInAndAuthorize(
      HttpClient browser, URI authorize, String user, String password) throws Exception {
    HttpResponse<String> first = send(HttpRequest.newBuilder(authorize).GET(), browser);
    assertThat(first.headers().firstValue("Location").orElseThrow()).endsWith("/login");
    HttpResponse<String> loggedIn = logIn(browser, user, password);
    assertThat(loggedIn.statusCode()).isEqualTo(302);
    return follow(loggedIn, browser);
  }

  private HttpResponse<String> follow(HttpResponse<String> redirect, HttpClient browser)
      throws Exception {
    return send(
        HttpRequest.newBuilder(
                uri("/").resolve(redirect.headers().firstValue("Location").orElseThrow()))
            .GET(),
        browser);
  }

  /** Presses the picker's button for {@code patient} (its form, with its CSRF token). */
  private HttpResponse<String> choose(HttpClient browser, String page, String patient)
      throws Exception {
    Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
    Matcher authorize = Pattern.compile("name=\"authorize\" value=\"([^\"]+)\"").matcher(page);
    assertThat(csrf.find() && authorize.find()).as(page).isTrue();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("_csrf", csrf.group(1));
    form.put("authorize", HtmlUtils.htmlUnescape(authorize.group(1)));
    form.put("patient", patient);
    return send(
        HttpRequest.newBuilder(uri("/launch/patient"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(encode(form))),
        browser);
  }

  private static String codeFrom(HttpResponse<String> redirect) {
    String location = redirect.headers().firstValue("Location").orElseThrow();
    assertThat(location).as(redirect.body()).startsWith(REDIRECT + "?code=");
    Matcher code = Pattern.compile("code=([^&]+)").matcher(location);
    assertThat(code.find()).isTrue();
    return URLDecoder.decode(code.group(1), StandardCharsets.UTF_8);
  }

  private static URI withLaunch(URI authorize, String launch) {
    return URI.create(authorize + "&launch=" + URLEncoder.encode(launch, StandardCharsets.UTF_8));
  }

  private HttpResponse<String> launchRequest(String token, String form) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri("/auth/launch"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request, newBrowser());
  }

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
    return exchange(clientId, code, verifier, key, REDIRECT);
  }

  private HttpResponse<String> exchange(
      String clientId, String code, String verifier, RSAKey key, String redirect) throws Exception {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("grant_type", "authorization_code");
    parameters.put("code", code);
    parameters.put("redirect_uri", redirect);
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
    return authorizeUri(clientId, scopes, challenge, method, REDIRECT);
  }

  private URI authorizeUri(
      String clientId, String scopes, String challenge, String method, String redirect) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("response_type", "code");
    parameters.put("client_id", clientId);
    parameters.put("redirect_uri", redirect);
    parameters.put("scope", scopes);
    parameters.put("state", "xyz");
    parameters.put("aud", base() + "/fhir");
    parameters.put("code_challenge", challenge);
    parameters.put("code_challenge_method", method);
    return uri("/oauth2/authorize?" + encode(parameters));
  }

  private String systemToken() throws Exception {
    return token(SYSTEM_KEY, "records-system", "system/*.cruds");
  }

  private String token(RSAKey key, String clientId, String scope) throws Exception {
    HttpResponse<String> response =
        form(
            "/oauth2/token",
            Map.of(
                "grant_type",
                "client_credentials",
                "scope",
                scope,
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion",
                assertion(key, clientId)));
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
