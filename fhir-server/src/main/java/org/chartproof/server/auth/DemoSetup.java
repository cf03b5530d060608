package org.chartproof.server.auth;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.chartproof.server.storage.SecretKeyFile;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

/**
 * The demo setup of the embedded default ({@code chartproof.auth.demo}; README "Try it"): so that a
 * fresh server can be tried without writing configuration first, it registers
 *
 * <ul>
 *   <li>users {@code demo-patient} ({@code Patient/demo-patient}) and {@code demo-doctor} ({@code
 *       Practitioner/demo-doctor}), with random passwords written to {@code
 *       <data-dir>/demo/users.txt};
 *   <li>a Backend Services client {@code demo-system} ({@code system/*.cruds}, allowed to create
 *       EHR launch contexts), its private key written to {@code <data-dir>/demo/demo-system.pem};
 *   <li>a public SMART app {@code demo-app} whose redirect URI is this server's {@code
 *       /demo/callback} page, which shows the code to exchange;
 * </ul>
 *
 * and creates the FHIR resources the users are, their clinic, and the demo patient's Consent that
 * lets the clinic access her record. The files are created once, readable by their owner only, and
 * reused after a restart. With {@code auto} (the default) the demo is set up only on the embedded
 * H2 database, never on PostgreSQL.
 */
final class DemoSetup {

  static final String CLIENT = "demo-system";
  static final String APP = "demo-app";
  static final String CALLBACK = "/demo/callback";

  /** The organization the demo doctor and the demo system act for. */
  static final String CLINIC = "Organization/demo-clinic";

  private static final Logger log = LoggerFactory.getLogger(DemoSetup.class);

  private final boolean active;
  private final Path dir;
  private final List<AuthProperties.User> users = new ArrayList<>();
  private final List<AuthProperties.Client> clients = new ArrayList<>();
  private final List<AuthProperties.App> apps = new ArrayList<>();

  /**
   * @param embeddedDatabase whether the server runs on its embedded H2 database
   * @param issuer this server's base URL, for the app's redirect URI
   */
  DemoSetup(AuthProperties properties, Path dataDir, boolean embeddedDatabase, String issuer) {
    this.active =
        properties.demo() == AuthProperties.Demo.ON
            || properties.demo() == AuthProperties.Demo.AUTO && embeddedDatabase;
    this.dir = dataDir.resolve("demo");
    if (!active) {
      return;
    }
    try {
      for (String[] user :
          new String[][] {
            {"demo-patient", "Patient/demo-patient"}, {"demo-doctor", "Practitioner/demo-doctor"}
          }) {
        users.add(new AuthProperties.User(user[0], hash(password(user[0])), user[1], CLINIC));
      }
      clients.add(
          new AuthProperties.Client(
              CLIENT,
              new JWKSet(clientKey()).toString(),
              null,
              List.of("system/*.cruds"),
              true,
              CLINIC,
              false));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "Cannot set up the demo in " + dir + " (chartproof.auth.demo): " + e.getMessage());
    }
    apps.add(
        new AuthProperties.App(
            APP,
            List.of(issuer + CALLBACK),
            List.of("openid", "fhirUser", "launch", "launch/patient", "patient/*.rs", "user/*.rs"),
            null,
            null));
    log.warn(
        "DEMO SETUP ACTIVE (chartproof.auth.demo={}): users demo-patient and demo-doctor"
            + " (passwords in {}), Backend Services client {} (private key {}), app {}. Anyone"
            + " with these files can read and change every record: set chartproof.auth.demo=off"
            + " for real data.",
        properties.demo().name().toLowerCase(java.util.Locale.ROOT),
        dir.resolve("users.txt").toAbsolutePath(),
        CLIENT,
        dir.resolve(CLIENT + ".pem").toAbsolutePath(),
        APP);
  }

  boolean active() {
    return active;
  }

  /** The configured users, clients and apps, plus the demo's when it is active. */
  AuthProperties registrations(AuthProperties properties) {
    return active ? properties.withRegistrations(users, clients, apps) : properties;
  }

  /** Creates the demo users' Patient and Practitioner if they do not exist yet. */
  void createResources(DaoRegistry daos) {
    if (!active) {
      return;
    }
    SystemRequestDetails system = new SystemRequestDetails();
    Patient patient = new Patient();
    patient.setId("Patient/demo-patient");
    patient.addName().setFamily("Demo").addGiven("Patty");
    patient.setGender(AdministrativeGender.FEMALE);
    Practitioner doctor = new Practitioner();
    doctor.setId("Practitioner/demo-doctor");
    doctor.addName().setFamily("Demo").addGiven("Doc").addPrefix("Dr.");
    Organization clinic = new Organization();
    clinic.setId(CLINIC);
    clinic.setName("Demo Clinic");
    for (var resource : List.of(patient, doctor, clinic, clinicConsent())) {
      IFhirResourceDao<IBaseResource> dao = daos.getResourceDao(resource.fhirType());
      try {
        dao.read(resource.getIdElement(), system);
      } catch (ResourceNotFoundException absent) {
        dao.update(resource, system);
      }
    }
  }

  /**
   * The demo patient's Consent: the demo clinic (its doctor and its system) may access her record.
   * Without it, the consent default (opt-in) would keep everyone but the patient out.
   */
  private static Consent clinicConsent() {
    Consent consent = new Consent();
    consent.setId("Consent/demo-consent");
    consent.setStatus(Consent.ConsentState.ACTIVE);
    consent
        .getScope()
        .addCoding()
        .setSystem("http://terminology.hl7.org/CodeSystem/consentscope")
        .setCode("patient-privacy");
    consent.addCategory().addCoding().setSystem("http://loinc.org").setCode("59284-0");
    consent.getPatient().setReference("Patient/demo-patient");
    consent
        .getPolicyRule()
        .addCoding()
        .setSystem("http://terminology.hl7.org/CodeSystem/v3-ActCode")
        .setCode("OPTOUT");
    Consent.provisionActorComponent actor = consent.getProvision().addActor();
    actor
        .getRole()
        .addCoding()
        .setSystem("http://terminology.hl7.org/CodeSystem/v3-ParticipationType")
        .setCode("PRCP");
    actor.getReference().setReference(CLINIC);
    consent
        .getProvision()
        .addAction()
        .addCoding()
        .setSystem("http://terminology.hl7.org/CodeSystem/consentaction")
        .setCode("access");
    return consent;
  }

  /** The demo user's password from users.txt, created with a random one on first start. */
  private String password(String username) throws IOException {
    Path file = dir.resolve("users.txt");
    List<String> lines =
        Files.exists(file) ? new ArrayList<>(Files.readAllLines(file)) : new ArrayList<>();
    for (String line : lines) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length >= 2 && fields[0].equals(username)) {
        return fields[1];
      }
    }
    if (lines.isEmpty()) {
      lines.add(
          "# Chartproof demo users (chartproof.auth.demo): username password. Not for real data.");
    }
    byte[] random = new byte[12];
    new SecureRandom().nextBytes(random);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    lines.add(username + " " + password);
    SecretKeyFile.writePrivately(file, String.join("\n", lines) + "\n");
    return password;
  }

  private static String hash(String password) {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(password);
  }

  /** The demo client's public key; its private key in PEM (PKCS#8), created on first start. */
  private RSAKey clientKey() throws IOException {
    Path pem = dir.resolve(CLIENT + ".pem");
    if (!Files.exists(pem)) {
      SecretKeyFile.writePrivately(
          pem,
          "-----BEGIN PRIVATE KEY-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(SigningKeys.generate())
              + "\n-----END PRIVATE KEY-----\n");
    }
    String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return SigningKeys.fromPkcs8(Base64.getDecoder().decode(base64))
        .algorithm(JWSAlgorithm.RS384)
        .keyID(CLIENT + "-1")
        .build()
        .toPublicJWK();
  }
}
