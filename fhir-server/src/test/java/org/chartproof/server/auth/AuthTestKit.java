package org.chartproof.server.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.util.FileSystemUtils;

/** What the authorization tests share: keys, signed JWTs, a JWK Set server, HTTP, settings. */
public final class AuthTestKit {

  public static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private AuthTestKit() {}

  public static RSAKey rsaKey(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static ECKey ecKey(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_384).keyID(kid).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signs {@code claims} as a JWT ({@code typ: JWT}) with the key's id in the header. */
  public static String sign(JWK key, JWSAlgorithm algorithm, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
            claims);
    JWSSigner signer =
        key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key);
    jwt.sign(signer);
    return jwt.serialize();
  }

  /** A private_key_jwt client assertion (RFC 7523) as SMART Backend Services sends it. */
  public static String clientAssertion(
      JWK key,
      JWSAlgorithm algorithm,
      String clientId,
      String audience,
      Instant expires,
      String jti)
      throws Exception {
    return sign(
        key,
        algorithm,
        new JWTClaimsSet.Builder()
            .issuer(clientId)
            .subject(clientId)
            .audience(audience)
            .expirationTime(Date.from(expires))
            .jwtID(jti)
            .build());
  }

  /** Serves the key's public JWK Set at {@code http://127.0.0.1:<port>/<path>}. */
  public static HttpServer serveJwks(JWK key, String path) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
      server.createContext(
          "/" + path,
          exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      server.start();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A directory for the server's keys and files, deleted when the JVM exits. */
  public static Path tempDir(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> FileSystemUtils.deleteRecursively(dir.toFile())));
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A free port on 127.0.0.1 for a server whose issuer must be known before it starts (the issuer
   * is fixed at startup, so a test cannot use server.port=0).
   */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The server listens on 127.0.0.1:{@code port} and names {@code http://127.0.0.1:port} its
   * issuer.
   */
  public static void address(DynamicPropertyRegistry registry, int port) {
    registry.add("server.port", () -> port);
    registry.add("chartproof.auth.issuer", () -> "http://127.0.0.1:" + port);
  }

  /**
   * An access token for a Backend Services client of the server at {@code base} (client_credentials
   * with a private_key_jwt assertion signed by {@code key}, RS384).
   */
  public static String systemToken(String base, RSAKey key, String clientId, String scope)
      throws Exception {
    String assertion =
        clientAssertion(
            key,
            JWSAlgorithm.RS384,
            clientId,
            base + "/oauth2/token",
            Instant.now().plusSeconds(240),
            java.util.UUID.randomUUID().toString());
    String form =
        "grant_type=client_credentials&scope="
            + java.net.URLEncoder.encode(scope, StandardCharsets.UTF_8)
            + "&client_assertion_type="
            + java.net.URLEncoder.encode(
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
            + "&client_assertion="
            + assertion;
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "token request answered " + response.statusCode() + ": " + response.body());
    }
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(response.body())
        .get("access_token")
        .asText();
  }

  /**
   * Authorization settings with these two system clients, the first an administrator ({@code admin:
   * true}), both allowed {@code system/*.cruds}; nothing else configured.
   */
  public static AuthProperties twoClients(AuthProperties.Mode mode, String admin, String other) {
    List<AuthProperties.Client> clients =
        List.of(
            new AuthProperties.Client(
                admin, "{}", null, List.of("system/*.cruds"), false, null, true),
            new AuthProperties.Client(
                other, "{}", null, List.of("system/*.cruds"), false, null, false));
    return new AuthProperties(
        mode,
        null,
        Path.of("unused"),
        Duration.ofMinutes(10),
        Duration.ofMinutes(5),
        Duration.ofSeconds(60),
        clients,
        null,
        List.of(),
        List.of(),
        Duration.ofDays(30),
        Duration.ofMinutes(5),
        AuthProperties.Demo.OFF);
  }

  /** The server on {@code postgres}, with its keys under {@code dataDir}. */
  public static void database(
      DynamicPropertyRegistry registry, EmbeddedPostgres postgres, Path dataDir) {
    registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("spring.datasource.password", () -> "");
    registry.add("chartproof.storage.data-dir", dataDir::toString);
  }

  /** GET as FHIR JSON, bypassing HAPI's search cache; no Authorization header if token is null. */
  public static HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .GET()
            .header("Accept", "application/fhir+json")
            .header("Cache-Control", "no-cache"); // HAPI would reuse an earlier identical search
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** POST FHIR JSON; no Authorization header if token is null. */
  public static HttpResponse<String> post(String url, String token, String json) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .header("Content-Type", "application/fhir+json")
            .header("Accept", "application/fhir+json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
