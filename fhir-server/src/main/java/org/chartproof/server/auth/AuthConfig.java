package org.chartproof.server.auth;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.server.RestfulServer;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.chartproof.server.storage.StorageProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

/**
 * SMART on FHIR authorization (docs/adr/0005-smart-authorization.md). With {@code
 * chartproof.auth.mode=embedded} (the default) the server is its own authorization server (Spring
 * Authorization Server at {@code /oauth2/*}) and every FHIR request needs one of its bearer tokens,
 * except the CapabilityStatement and SMART discovery. With {@code off} nothing is authorized.
 */
@Configuration
@EnableWebSecurity
@EnableConfigurationProperties(AuthProperties.class)
public class AuthConfig {

  static final String FHIR_PATH = "/fhir";

  /** The administration API; only {@link Administrators} may use it. */
  public static final String ADMIN_PATH = "/admin";

  /** Checked tokens remembered until they expire (BearerTokens). */
  static final int TOKEN_CACHE_SIZE = 10_000;

  private static final Logger log = LoggerFactory.getLogger(AuthConfig.class);

  /**
   * No Micrometer observation around every security filter and decision: it cost reads a tenth of
   * their throughput (docs/benchmarks.md), and requests are measured as a whole already.
   */
  @Bean
  SecurityObservationSettings securityObservationSettings() {
    return SecurityObservationSettings.noObservations();
  }

  /** Who may run administrative operations: admin clients of the embedded issuer. */
  @Bean
  Administrators administrators(AuthProperties properties) {
    return new Administrators(properties);
  }

  /** {@code chartproof.auth.mode=off}: every request allowed, loudly. */
  @Configuration
  @ConditionalOnProperty(name = "chartproof.auth.mode", havingValue = "off")
  static class Off {

    @Bean
    SecurityFilterChain openChain(HttpSecurity http) throws Exception {
      log.warn(
          "chartproof.auth.mode=off: NO AUTHORIZATION. Anyone who reaches this server can read"
              + " and change every record. Use this only to measure or test.");
      return http.authorizeHttpRequests(a -> a.anyRequest().permitAll())
          .csrf(c -> c.disable())
          .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
          .build();
    }
  }

  /** {@code chartproof.auth.mode=embedded}: the embedded authorization server and SMART scopes. */
  @Configuration
  @ConditionalOnProperty(
      name = "chartproof.auth.mode",
      havingValue = "embedded",
      matchIfMissing = true)
  static class Embedded {

    @Bean
    ServerBase serverBase(AuthProperties properties) {
      return new ServerBase(properties.issuer());
    }

    @Bean
    RSAKey authSigningKey(AuthProperties properties) {
      return SigningKeys.load(properties.signingKeyFile());
    }

    @Bean
    JWKSource<SecurityContext> jwkSource(RSAKey authSigningKey) {
      return new ImmutableJWKSet<>(new JWKSet(authSigningKey));
    }

    @Bean
    DemoSetup demoSetup(
        AuthProperties properties, StorageProperties storage, Environment env, ServerBase base) {
      boolean embeddedDatabase =
          env.getProperty("spring.datasource.url", "jdbc:h2:").startsWith("jdbc:h2:");
      return new DemoSetup(properties, storage.dataDir(), embeddedDatabase, base.current());
    }

    @Bean
    ApplicationListener<ApplicationReadyEvent> demoResources(DemoSetup demo, DaoRegistry daos) {
      return ready -> demo.createResources(daos);
    }

    @Bean
    DemoCallback demoCallback(DemoSetup demo) {
      return new DemoCallback(demo);
    }

    @Bean
    ClientRegistry clientRegistry(AuthProperties properties, DemoSetup demo) {
      return new ClientRegistry(demo.registrations(properties));
    }

    @Bean
    SmartDiscovery smartDiscovery(ServerBase base) {
      return new SmartDiscovery(
          base::current, null, null, null); // the embedded server's own endpoints
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(ServerBase base) {
      log.info("Authorization server issuer: {}", base.current());
      return AuthorizationServerSettings.builder().issuer(base.current()).build();
    }

    @Bean
    OAuth2AuthorizationService authorizationService(
        JdbcTemplate authTables, ClientRegistry clients) {
      return new NoClientCredentialsKept(authTables, clients, Clock.systemUTC());
    }

    @Bean
    UserAccounts userAccounts(AuthProperties properties, DemoSetup demo) {
      return new UserAccounts(demo.registrations(properties).users());
    }

    /** Argon2 (the default for new hashes), bcrypt and Spring's other {id} formats. */
    @Bean
    PasswordEncoder passwordEncoder() {
      return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /** The authorization tables (auth/schema.sql), created if absent. */
    @Bean
    JdbcTemplate authTables(DataSource dataSource) {
      new ResourceDatabasePopulator(new ClassPathResource("auth/schema.sql")).execute(dataSource);
      return new JdbcTemplate(dataSource);
    }

    @Bean
    AssertionReplayStore assertionReplayStore(JdbcTemplate authTables, AuthProperties properties) {
      return new AssertionReplayStore(authTables, Clock.systemUTC(), properties.clientSkew());
    }

    @Bean
    LaunchContexts launchContexts(JdbcTemplate authTables, AuthProperties properties) {
      return new LaunchContexts(authTables, Clock.systemUTC(), properties.launchTtl());
    }

    @Bean
    Patients patients(DaoRegistry daos) {
      return new Patients(daos);
    }

    @Bean
    EhrLaunchController ehrLaunchController(
        LaunchContexts launches,
        Patients patients,
        UserAccounts users,
        AuthProperties properties,
        DemoSetup demo) {
      return new EhrLaunchController(launches, patients, users, demo.registrations(properties));
    }

    @Bean
    PatientPicker patientPicker(Patients patients, UserAccounts users, LaunchContexts launches) {
      return new PatientPicker(patients, users, launches);
    }

    /**
     * The embedded authorization server's endpoints: token, authorize (users log in first), JWKS,
     * OpenID Connect discovery and userinfo.
     */
    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerChain(
        HttpSecurity http,
        ClientRegistry clients,
        UserAccounts users,
        AssertionReplayStore replays,
        LaunchContexts launches,
        JWKSource<SecurityContext> jwkSource,
        JwtDecoder fhirTokenDecoder,
        AuthProperties properties)
        throws Exception {
      OAuth2AuthorizationServerConfigurer server =
          OAuth2AuthorizationServerConfigurer.authorizationServer();
      ClientAssertionDecoders assertions =
          new ClientAssertionDecoders(
              replays,
              properties.maxAssertionLifetime(),
              properties.clientSkew(),
              Clock.systemUTC());
      JwtGenerator jwts = new JwtGenerator(new NimbusJwtEncoder(jwkSource));
      jwts.setJwtCustomizer(new SmartTokenCustomizer(users, launches));

      return http.securityMatcher(server.getEndpointsMatcher())
          .with(
              server,
              s ->
                  s.registeredClientRepository(clients)
                      .tokenGenerator(
                          new DelegatingOAuth2TokenGenerator(
                              jwts, new OfflineAccessRefreshTokens()))
                      .clientAuthentication(
                          c ->
                              c.authenticationConverter(new ClientAssertionConverter())
                                  .authenticationProviders(
                                      each(
                                          JwtClientAssertionAuthenticationProvider.class,
                                          p -> p.setJwtDecoderFactory(assertions))))
                      .authorizationEndpoint(
                          a ->
                              a.authenticationProviders(
                                  each(
                                      OAuth2AuthorizationCodeRequestAuthenticationProvider.class,
                                      p ->
                                          p.setAuthenticationValidator(
                                              new AppScopeValidator(users, launches)))))
                      .tokenEndpoint(
                          t ->
                              t.authenticationProviders(
                                      each(
                                          OAuth2ClientCredentialsAuthenticationProvider.class,
                                          p ->
                                              p.setAuthenticationValidator(
                                                  new SmartScopeValidator())))
                                  .accessTokenResponseHandler(SmartTokenResponse.handler()))
                      .oidc(Customizer.withDefaults()))
          .authorizeHttpRequests(a -> a.anyRequest().authenticated())
          .addFilterAfter(new PatientPickerRedirect(users), SecurityContextHolderFilter.class)
          // the authorize endpoint sends users who have not logged in to the login page
          .exceptionHandling(
              e -> e.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/login")))
          .oauth2ResourceServer(r -> r.jwt(j -> j.decoder(fhirTokenDecoder)))
          .csrf(c -> c.ignoringRequestMatchers(server.getEndpointsMatcher()))
          .build();
    }

    /**
     * The login page (Spring Security's own form) for users of SMART apps, and the patient picker
     * for those logged in.
     */
    @Bean
    @Order(3)
    SecurityFilterChain loginChain(HttpSecurity http, UserAccounts users) throws Exception {
      PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
      return http.securityMatcher(
              new OrRequestMatcher(
                  paths.matcher("/login"),
                  paths.matcher("/logout"),
                  paths.matcher(PatientPicker.PATH)))
          .userDetailsService(users)
          .authorizeHttpRequests(
              a ->
                  a.requestMatchers(paths.matcher(PatientPicker.PATH))
                      .authenticated()
                      .anyRequest()
                      .permitAll())
          .formLogin(Customizer.withDefaults())
          .build();
    }

    /** Sets up every provider of type {@code type} among Spring's defaults. */
    private static <T> Consumer<List<AuthenticationProvider>> each(
        Class<T> type, Consumer<T> setup) {
      return providers ->
          providers.forEach(
              p -> {
                if (type.isInstance(p)) {
                  setup.accept(type.cast(p));
                }
              });
    }

    /**
     * Checks this server's own access tokens in-process: signature by its key (RS256), not expired,
     * issued by this server, for its FHIR endpoint.
     */
    @Bean
    JwtDecoder fhirTokenDecoder(RSAKey authSigningKey, ServerBase base) throws JOSEException {
      DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
      // the one public key, converted once: a JWK source would decode it from base64 per request
      processor.setJWSKeySelector(
          new SingleKeyJWSKeySelector<>(JWSAlgorithm.RS256, authSigningKey.toRSAPublicKey()));
      processor.setJWTClaimsSetVerifier((claims, context) -> {}); // checked below, with reasons
      NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
      decoder.setJwtValidator(
          new DelegatingOAuth2TokenValidator<>(
              new JwtTimestampValidator(Duration.ofSeconds(60)),
              issuedFor(base::current, base::fhirBase)));
      return decoder;
    }
  }

  /** Embedded or external: bearer tokens on the FHIR endpoint, scopes and compartments. */
  @Configuration
  @ConditionalOnExpression("!'${chartproof.auth.mode:embedded}'.equalsIgnoreCase('off')")
  static class Protected {

    /**
     * The FHIR endpoint, the EHR launch API and the administration API ({@code /admin/**}, which
     * checks {@link Administrators} itself): a valid bearer token on everything but discovery.
     */
    @Bean
    @Order(2)
    SecurityFilterChain fhirChain(
        HttpSecurity http, JwtDecoder fhirTokenDecoder, AuthProperties properties)
        throws Exception {
      BearerTokens bearerTokens =
          new BearerTokens(
              fhirTokenDecoder,
              new AccessTokens(claims(properties)),
              Clock.systemUTC(),
              TOKEN_CACHE_SIZE);
      PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
      return http.securityMatcher(
              new OrRequestMatcher(
                  paths.matcher(FHIR_PATH + "/**"),
                  paths.matcher(EhrLaunchController.PATH),
                  paths.matcher(ADMIN_PATH + "/**")))
          .authorizeHttpRequests(
              a ->
                  a.requestMatchers(
                          paths.matcher(HttpMethod.GET, FHIR_PATH + "/metadata"),
                          paths.matcher(HttpMethod.GET, SmartConfigurationServlet.PATH),
                          paths.matcher(HttpMethod.GET, FHIR_PATH + "/api-docs"),
                          paths.matcher(HttpMethod.GET, FHIR_PATH + "/swagger-ui/**"))
                      .permitAll()
                      .anyRequest()
                      .authenticated())
          .oauth2ResourceServer(
              r ->
                  r.authenticationManagerResolver(request -> bearerTokens)
                      .bearerTokenResolver(bearerTokens))
          .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
          .requestCache(c -> c.disable())
          .csrf(c -> c.disable())
          .build();
    }

    /** Everything else (/ledger, /actuator): public, as before authorization existed. */
    @Bean
    @Order(4)
    SecurityFilterChain publicChain(HttpSecurity http) throws Exception {
      return http.authorizeHttpRequests(a -> a.anyRequest().permitAll())
          .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
          .csrf(c -> c.disable())
          .build();
    }

    /**
     * In this order: scopes (types and letters), then a patient token's searches narrowed to its
     * compartment, then its compartment enforced on everything in and out.
     */
    @Bean
    ScopeEnforcer scopeEnforcer(RestfulServer server, FhirContext fhirContext) {
      ScopeEnforcer enforcer = new ScopeEnforcer(fhirContext);
      server.registerInterceptor(enforcer);
      server.registerInterceptor(new PatientSearchNarrowing());
      server.registerInterceptor(new PatientCompartmentRules(fhirContext));
      return enforcer;
    }

    @Bean
    CapabilityStatementSecurity capabilityStatementSecurity(
        RestfulServer server, SmartDiscovery discovery) {
      CapabilityStatementSecurity security = new CapabilityStatementSecurity(discovery);
      server.registerInterceptor(security);
      return security;
    }

    @Bean
    ServletRegistrationBean<SmartConfigurationServlet> smartConfiguration(
        SmartDiscovery discovery) {
      return new ServletRegistrationBean<>(
          new SmartConfigurationServlet(discovery), SmartConfigurationServlet.PATH);
    }
  }

  /** {@code chartproof.auth.mode=external}: tokens from another OpenID Connect issuer. */
  @Configuration
  @ConditionalOnProperty(name = "chartproof.auth.mode", havingValue = "external")
  static class External {

    /**
     * Checks the external issuer's tokens: signed by a key it publishes, not expired, its issuer,
     * for this server's audience.
     */
    @Bean
    JwtDecoder fhirTokenDecoder(AuthProperties properties) {
      AuthProperties.External external = properties.external();
      for (String[] setting :
          new String[][] {
            {"issuer-uri", external.issuerUri()},
            {"jwk-set-uri", external.jwkSetUri()},
            {"audience", external.audience()}
          }) {
        if (setting[1] == null || setting[1].isBlank()) {
          throw new IllegalStateException(
              "chartproof.auth.mode=external needs chartproof.auth.external." + setting[0]);
        }
      }
      NimbusJwtDecoder decoder =
          NimbusJwtDecoder.withJwkSetUri(external.jwkSetUri())
              .jwsAlgorithms(
                  algorithms ->
                      algorithms.addAll(
                          List.of(
                              SignatureAlgorithm.RS256,
                              SignatureAlgorithm.RS384,
                              SignatureAlgorithm.ES256,
                              SignatureAlgorithm.ES384)))
              .build();
      decoder.setJwtValidator(
          new DelegatingOAuth2TokenValidator<>(
              new JwtTimestampValidator(Duration.ofSeconds(60)),
              issuedFor(() -> external.issuerUri(), () -> external.audience())));
      return decoder;
    }

    @Bean
    SmartDiscovery smartDiscovery(AuthProperties properties) {
      AuthProperties.External external = properties.external();
      return new SmartDiscovery(
          external::issuerUri,
          external.jwkSetUri(),
          external.authorizationEndpoint(),
          external.tokenEndpoint());
    }
  }

  static AuthProperties.Claims claims(AuthProperties properties) {
    return properties.mode() == AuthProperties.Mode.EXTERNAL
        ? properties.external().claims()
        : AuthProperties.Claims.embedded();
  }

  /** A token must name {@code issuer} as its issuer and {@code audience} among its audiences. */
  static OAuth2TokenValidator<Jwt> issuedFor(Supplier<String> issuer, Supplier<String> audience) {
    return jwt -> {
      String problem = null;
      if (jwt.getExpiresAt() == null) {
        problem = "the token has no exp"; // JwtTimestampValidator lets such a token through
      } else if (!issuer.get().equals(jwt.getClaimAsString("iss"))) {
        problem = "the token was not issued by " + issuer.get();
      } else if (jwt.getAudience() == null || !jwt.getAudience().contains(audience.get())) {
        problem = "the token's audience is not " + audience.get();
      }
      return problem == null
          ? OAuth2TokenValidatorResult.success()
          : OAuth2TokenValidatorResult.failure(
              new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, problem, null));
    };
  }
}
