package org.chartproof.server.consent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A user logging in to a public SMART app on the embedded server, as a browser would: authorize,
 * the login page, the code at the redirect URI, the code exchanged with its PKCE verifier.
 */
final class AppLogin {

  private final String base;
  private final String clientId;
  private final String redirect;

  AppLogin(String base, String clientId, String redirect) {
    this.base = base;
    this.clientId = clientId;
    this.redirect = redirect;
  }

  /** The access token {@code user} gets for {@code scopes}. */
  String accessToken(String user, String password, String scopes) throws Exception {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    String challenge =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    Map<String, String> authorize = new LinkedHashMap<>();
    authorize.put("response_type", "code");
    authorize.put("client_id", clientId);
    authorize.put("redirect_uri", redirect);
    authorize.put("scope", scopes);
    authorize.put("state", "s");
    authorize.put("aud", base + "/fhir");
    authorize.put("code_challenge", challenge);
    authorize.put("code_challenge_method", "S256");
    HttpClient browser =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    send(
        browser, HttpRequest.newBuilder(URI.create(base + "/oauth2/authorize?" + form(authorize))));
    HttpResponse<String> page = send(browser, HttpRequest.newBuilder(URI.create(base + "/login")));
    Matcher csrf =
        Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"").matcher(page.body());
    assertThat(csrf.find()).as(page.body()).isTrue();
    HttpResponse<String> loggedIn =
        send(
            browser,
            HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        form(
                            Map.of(
                                "username", user, "password", password, "_csrf", csrf.group(1))))));
    HttpResponse<String> back =
        send(
            browser,
            HttpRequest.newBuilder(
                URI.create(base).resolve(loggedIn.headers().firstValue("Location").orElseThrow())));
    String location = back.headers().firstValue("Location").orElseThrow();
    Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(location);
    assertThat(code.find()).as(location).isTrue();
    Map<String, String> exchange = new LinkedHashMap<>();
    exchange.put("grant_type", "authorization_code");
    exchange.put("code", URLDecoder.decode(code.group(1), StandardCharsets.UTF_8));
    exchange.put("redirect_uri", redirect);
    exchange.put("code_verifier", verifier);
    exchange.put("client_id", clientId);
    HttpResponse<String> token =
        send(
            browser,
            HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(exchange))));
    assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
    return new ObjectMapper().readTree(token.body()).get("access_token").asText();
  }

  private static HttpResponse<String> send(HttpClient browser, HttpRequest.Builder request)
      throws Exception {
    return browser.send(
        request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String form(Map<String, String> parameters) {
    return parameters.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
