package org.chartproof.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.chartproof.ledger.merkle.ProofVerifier;
import org.chartproof.ledger.note.Checkpoint;
import org.chartproof.ledger.note.InvalidNoteException;
import org.chartproof.ledger.note.SignedNote;
import org.chartproof.ledger.note.VerifiedNote;
import org.chartproof.ledger.note.VerifierKey;
import org.chartproof.server.ledger.LedgerTables;
import org.chartproof.server.ledger.VerifyCommand;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What Chartproof's FHIR endpoint must do, whatever database it runs on. Subclasses choose the
 * database; every test talks HTTP to the server booted on a random port.
 */
@SpringBootTest(
    classes = ChartproofApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    // authorization has its own tests (SmartBackendServicesIT); these test everything else
    properties = {"server.address=127.0.0.1", "chartproof.auth.mode=off"})
abstract class FhirServerContract implements LedgerProofContract, ClientSideProofContract {

  static final FhirContext FHIR = FhirContext.forR4Cached();
  static final String LOINC = "http://loinc.org";

  @LocalServerPort int port;
  IGenericClient client;
  RawHttp http;

  @BeforeEach
  void connect() {
    FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    FHIR.getRestfulClientFactory().setSocketTimeout(300_000);
    client = FHIR.newRestfulGenericClient(baseUrl());
    http = new RawHttp(baseUrl());
  }

  @Autowired ApplicationContext applicationContext;
  @Autowired Environment environment;

  @Override
  public ApplicationContext applicationContext() {
    return applicationContext;
  }

  @Override
  public RawHttp http() {
    return http;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port + "/fhir";
  }

  // ---- CRUD of the core types ----

  @Test
  void crud_patient_createReadUpdateVreadPatchDelete() {
    Patient patient = new Patient();
    patient.addName().setFamily("Crud").addGiven("Casey");
    patient.setGender(AdministrativeGender.FEMALE);
    IdType id = (IdType) client.create().resource(patient).execute().getId();
    assertThat(id.getVersionIdPart()).isEqualTo("1");

    Patient read =
        client.read().resource(Patient.class).withId(id.toUnqualifiedVersionless()).execute();
    assertThat(read.getNameFirstRep().getFamily()).isEqualTo("Crud");

    read.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1980-01-02"));
    MethodOutcome updated = client.update().resource(read).execute();
    assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");

    Patient v1 = client.read().resource(Patient.class).withId(id.withVersion("1")).execute();
    assertThat(v1.hasBirthDate()).isFalse();

    client
        .patch()
        .withBody("[{\"op\":\"replace\",\"path\":\"/gender\",\"value\":\"other\"}]")
        .withId(id.toUnqualifiedVersionless())
        .execute();
    Patient patched =
        client.read().resource(Patient.class).withId(id.toUnqualifiedVersionless()).execute();
    assertThat(patched.getGender()).isEqualTo(AdministrativeGender.OTHER);
    assertThat(patched.getMeta().getVersionId()).isEqualTo("3");
    assertThat(patched.getBirthDateElement().getValueAsString()).isEqualTo("1980-01-02");

    client.delete().resourceById(id.toUnqualifiedVersionless()).execute();
    assertThatThrownBy(
            () ->
                client
                    .read()
                    .resource(Patient.class)
                    .withId(id.toUnqualifiedVersionless())
                    .execute())
        .isInstanceOf(ResourceGoneException.class);
  }

  @Test
  void crud_observationAndDiagnosticReport_roundTripTheirContent() {
    IdType patient = createPatient("Obs");
    Observation observation = observation(patient, "718-7", "laboratory", "2024-05-01T10:00:00Z");
    observation.setValue(
        new Quantity()
            .setValue(13.2)
            .setUnit("g/dL")
            .setSystem("http://unitsofmeasure.org")
            .setCode("g/dL"));
    IdType obsId = (IdType) client.create().resource(observation).execute().getId();

    DiagnosticReport report = new DiagnosticReport();
    report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
    report.getCode().addCoding().setSystem(LOINC).setCode("58410-2");
    report.setSubject(new Reference(patient.toUnqualifiedVersionless()));
    report.addResult(new Reference(obsId.toUnqualifiedVersionless()));
    IdType reportId = (IdType) client.create().resource(report).execute().getId();

    Observation readObs =
        client
            .read()
            .resource(Observation.class)
            .withId(obsId.toUnqualifiedVersionless())
            .execute();
    assertThat(readObs.getValueQuantity().getValue().toPlainString()).isEqualTo("13.2");
    DiagnosticReport readReport =
        client
            .read()
            .resource(DiagnosticReport.class)
            .withId(reportId.toUnqualifiedVersionless())
            .execute();
    assertThat(readReport.getResultFirstRep().getReference())
        .isEqualTo(obsId.toUnqualifiedVersionless().getValue());

    report.setId(reportId.toUnqualifiedVersionless());
    report.setStatus(DiagnosticReport.DiagnosticReportStatus.AMENDED);
    assertThat(client.update().resource(report).execute().getId().getVersionIdPart())
        .isEqualTo("2");
    client.delete().resourceById(reportId.toUnqualifiedVersionless()).execute();
    assertThat(http.get("/DiagnosticReport/" + reportId.getIdPart()).statusCode()).isEqualTo(410);
  }

  // ---- a laboratory's transaction bundle ----

  @Test
  void transaction_labReportBundle_linksReportObservationsAndSpecimenByUrnUuid() throws Exception {
    String bundle =
        Files.readString(repoRoot().resolve("docs/examples/lab-report-transaction.json"));
    // a fresh MRN per run: the bundle creates its Patient conditionally on the identifier
    String mrn = "MRN-" + UUID.randomUUID();
    Bundle response = transaction(bundle.replace("MRN-000123", mrn));
    assertThat(response.getEntry())
        .hasSize(12)
        .allSatisfy(e -> assertThat(e.getResponse().getStatus()).startsWith("201"));

    IdType reportId = locationOf(response, "DiagnosticReport");
    IdType patientId = locationOf(response, "Patient");
    IdType specimenId = locationOf(response, "Specimen");
    DiagnosticReport report =
        client.read().resource(DiagnosticReport.class).withId(reportId).execute();
    assertThat(report.getSubject().getReference()).isEqualTo(patientId.getValue());
    assertThat(report.getSpecimenFirstRep().getReference()).isEqualTo(specimenId.getValue());
    assertThat(report.getResult())
        .hasSize(8)
        .allSatisfy(r -> assertThat(r.getReference()).startsWith("Observation/"));
    for (Reference result : report.getResult()) {
      Observation observation =
          client.read().resource(Observation.class).withId(result.getReference()).execute();
      assertThat(observation.getSubject().getReference()).isEqualTo(patientId.getValue());
      assertThat(observation.getSpecimen().getReference()).isEqualTo(specimenId.getValue());
    }

    Bundle included =
        client
            .search()
            .byUrl(
                "DiagnosticReport?_id="
                    + reportId.getIdPart()
                    + "&_include=DiagnosticReport:result")
            .returnBundle(Bundle.class)
            .execute();
    assertThat(typesIn(included)).containsOnly("DiagnosticReport", "Observation").hasSize(9);

    Bundle revIncluded =
        client
            .search()
            .byUrl("Patient?_id=" + patientId.getIdPart() + "&_revinclude=Observation:subject")
            .returnBundle(Bundle.class)
            .execute();
    assertThat(typesIn(revIncluded)).filteredOn("Observation"::equals).hasSize(8);

    Bundle everything =
        client
            .operation()
            .onInstance(patientId)
            .named("$everything")
            .withNoParameters(Parameters.class)
            .returnResourceType(Bundle.class)
            .execute();
    assertThat(typesIn(everything))
        .contains("Patient", "DiagnosticReport", "Specimen")
        .filteredOn("Observation"::equals)
        .hasSize(8);

    // the same bundle again: the conditional creates find the Patient and Practitioner
    Bundle again = transaction(bundle.replace("MRN-000123", mrn));
    assertThat(again.getEntryFirstRep().getResponse().getStatus()).startsWith("200");
    assertThat(locationOf(again, "Patient").toVersionless()).isEqualTo(patientId.toVersionless());
  }

  // ---- searches ----

  @Test
  void search_bySubjectCodeDateAndCategory_findsExactlyTheMatches() {
    IdType patient = createPatient("Search");
    IdType other = createPatient("Other");
    IdType hb = create(observation(patient, "718-7", "laboratory", "2024-01-10T08:00:00Z"));
    IdType glucose = create(observation(patient, "2345-7", "laboratory", "2024-03-15T08:00:00Z"));
    IdType heartRate =
        create(observation(patient, "8867-4", "vital-signs", "2024-03-20T08:00:00Z"));
    create(observation(other, "718-7", "laboratory", "2024-01-10T08:00:00Z"));
    String subject = "subject=" + patient.getValue();

    assertThat(searchIds("Observation?" + subject))
        .containsExactlyInAnyOrder(id(hb), id(glucose), id(heartRate));
    assertThat(searchIds("Observation?" + subject + "&code=" + LOINC + "|718-7"))
        .containsExactly(id(hb));
    assertThat(searchIds("Observation?" + subject + "&date=ge2024-03-01&date=lt2024-03-18"))
        .containsExactly(id(glucose));
    assertThat(searchIds("Observation?" + subject + "&category=vital-signs"))
        .containsExactly(id(heartRate));
    assertThat(searchIds("Observation?" + subject + "&category=laboratory&date=gt2024-02-01"))
        .containsExactly(id(glucose));
  }

  @Test
  void search_paging_walksEveryPageWithoutGapsOrRepeats() {
    IdType patient = createPatient("Paging");
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      created.add(
          id(
              create(
                  observation(
                      patient, "718-7", "laboratory", "2024-01-0" + (i + 1) + "T08:00:00Z"))));
    }
    Bundle page =
        client
            .search()
            .byUrl("Observation?subject=" + patient.getValue() + "&_count=3&_sort=date")
            .returnBundle(Bundle.class)
            .execute();
    List<String> seen = new ArrayList<>();
    int pages = 0;
    while (page != null) {
      pages++;
      page.getEntry().forEach(e -> seen.add(e.getResource().getIdElement().getIdPart()));
      page = page.getLink(Bundle.LINK_NEXT) == null ? null : client.loadPage().next(page).execute();
    }
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyElementsOf(created);
  }

  // ---- history and versions ----

  @Test
  void history_listsEveryVersion_andVreadReturnsEachAsItWas() {
    Patient patient = new Patient();
    patient.addName().setFamily("History-1");
    IdType id = create(patient).toUnqualifiedVersionless();
    for (int v = 2; v <= 3; v++) {
      patient.setId(id);
      patient.getNameFirstRep().setFamily("History-" + v);
      client.update().resource(patient).execute();
    }
    Bundle history = client.history().onInstance(id).returnBundle(Bundle.class).execute();
    assertThat(history.getEntry()).hasSize(3);
    for (int v = 1; v <= 3; v++) {
      Patient version =
          client.read().resource(Patient.class).withId(id.withVersion(String.valueOf(v))).execute();
      assertThat(version.getNameFirstRep().getFamily()).isEqualTo("History-" + v);
    }
    Bundle typeHistory =
        client.history().onType(Patient.class).returnBundle(Bundle.class).execute();
    assertThat(typeHistory.getEntry()).isNotEmpty();
  }

  // ---- conditional operations ----

  @Test
  void conditionalCreate_secondTimeFindsTheFirst_andConditionalUpdateCreatesThenUpdates() {
    String mrn = UUID.randomUUID().toString();
    Patient patient = new Patient();
    patient.addIdentifier().setSystem("urn:test:mrn").setValue(mrn);
    MethodOutcome first =
        client
            .create()
            .resource(patient)
            .conditional()
            .where(Patient.IDENTIFIER.exactly().systemAndIdentifier("urn:test:mrn", mrn))
            .execute();
    MethodOutcome second =
        client
            .create()
            .resource(patient)
            .conditional()
            .where(Patient.IDENTIFIER.exactly().systemAndIdentifier("urn:test:mrn", mrn))
            .execute();
    assertThat(first.getCreated()).isTrue();
    assertThat(second.getCreated()).isNotEqualTo(Boolean.TRUE);
    assertThat(second.getId().toVersionless()).isEqualTo(first.getId().toVersionless());

    String other = UUID.randomUUID().toString();
    Patient upserted = new Patient();
    upserted.addIdentifier().setSystem("urn:test:mrn").setValue(other);
    String url = "Patient?identifier=urn:test:mrn|" + other;
    MethodOutcome created = client.update().resource(upserted).conditionalByUrl(url).execute();
    upserted.setActive(true);
    MethodOutcome updated = client.update().resource(upserted).conditionalByUrl(url).execute();
    assertThat(created.getCreated()).isTrue();
    assertThat(updated.getId().toVersionless()).isEqualTo(created.getId().toVersionless());
    assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");
  }

  @Test
  void batch_eachEntrySucceedsOrFailsOnItsOwn() {
    Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
    Patient good = new Patient();
    good.addName().setFamily("Batch");
    addPost(batch, good);
    Observation noStatus = new Observation();
    noStatus.getCode().setText("no status");
    addPost(batch, noStatus);
    Bundle response = client.transaction().withBundle(batch).execute();
    assertThat(response.getEntry().get(0).getResponse().getStatus()).startsWith("201");
    assertThat(response.getEntry().get(1).getResponse().getStatus()).startsWith("422");
  }

  @Test
  void transaction_withOneInvalidEntry_storesNothing() {
    String family = "Atomic-" + UUID.randomUUID();
    Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    Patient patient = new Patient();
    patient.addName().setFamily(family);
    addPost(transaction, patient).setFullUrl("urn:uuid:" + UUID.randomUUID());
    Observation noStatus = new Observation();
    noStatus.getCode().setText("no status");
    addPost(transaction, noStatus);
    HttpResponse<String> response =
        http.send(
            "POST",
            "",
            "application/fhir+json",
            BodyPublishers.ofString(FHIR.newJsonParser().encodeResourceToString(transaction)));
    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(searchIds("Patient?family=" + family)).isEmpty();
  }

  // ---- version conflicts ----

  @Test
  void update_withStaleIfMatch_answers412_andCurrentIfMatchSucceeds() {
    IdType id = createPatient("Match").toUnqualifiedVersionless();
    String body =
        "{\"resourceType\":\"Patient\",\"id\":\"" + id.getIdPart() + "\",\"active\":true}";
    HttpResponse<String> ok = http.send(put(id, body).header("If-Match", "W/\"1\""));
    assertThat(ok.statusCode()).isEqualTo(200);
    HttpResponse<String> stale = http.send(put(id, body).header("If-Match", "W/\"1\""));
    assertThat(stale.statusCode()).isEqualTo(412);
    assertOperationOutcome(stale, "not the current version");
    HttpResponse<String> stalePatch =
        http.send(
            HttpRequest.newBuilder(http.uri("/" + id.getValue()))
                .method(
                    "PATCH",
                    BodyPublishers.ofString(
                        "[{\"op\":\"add\",\"path\":\"/active\",\"value\":false}]"))
                .header("Content-Type", "application/json-patch+json")
                .header("If-Match", "W/\"1\""));
    assertThat(stalePatch.statusCode()).isEqualTo(412);
    HttpResponse<String> staleDelete =
        http.send(
            HttpRequest.newBuilder(http.uri("/" + id.getValue()))
                .DELETE()
                .header("If-Match", "W/\"1\""));
    assertThat(staleDelete.statusCode()).isEqualTo(412);
    assertThat(http.get("/" + id.getValue()).statusCode()).isEqualTo(200);
    HttpResponse<String> currentDelete =
        http.send(
            HttpRequest.newBuilder(http.uri("/" + id.getValue()))
                .DELETE()
                .header("If-Match", "W/\"2\""));
    assertThat(currentDelete.statusCode()).isEqualTo(200);
  }

  // ---- bad input: an OperationOutcome with the right status, and the server keeps serving ----

  @Test
  void badInput_malformedJson_answers400() {
    assertRejected(
        http.send(
            "POST",
            "/Patient",
            "application/fhir+json",
            BodyPublishers.ofString("{\"resourceType\":\"Patient\",")),
        400,
        "Failed to parse");
  }

  @Test
  void badInput_unknownResourceType_answers404() {
    assertRejected(http.get("/Foo/1"), 404, "Unknown resource type 'Foo'");
    assertRejected(
        http.send(
            "POST",
            "/Foo",
            "application/fhir+json",
            BodyPublishers.ofString("{\"resourceType\":\"Foo\"}")),
        404,
        "Unknown resource type");
  }

  @Test
  void badInput_observationWithoutStatus_answers422NamingTheElement() {
    HttpResponse<String> response =
        http.send(
            "POST",
            "/Observation",
            "application/fhir+json",
            BodyPublishers.ofString(
                "{\"resourceType\":\"Observation\",\"code\":{\"text\":\"x\"}}"));
    assertRejected(response, 422, "Observation.status");
  }

  @Test
  void badInput_unknownElementOrInvalidCode_answers400() {
    assertRejected(
        http.send(
            "POST",
            "/Patient",
            "application/fhir+json",
            BodyPublishers.ofString("{\"resourceType\":\"Patient\",\"favouriteColour\":\"blue\"}")),
        400,
        "favouriteColour");
    assertRejected(
        http.send(
            "POST",
            "/Observation",
            "application/fhir+json",
            BodyPublishers.ofString(
                "{\"resourceType\":\"Observation\",\"status\":\"bogus\",\"code\":{\"text\":\"x\"}}")),
        400,
        "bogus");
  }

  @Test
  void badInput_wrongContentType_answers415() {
    assertRejected(
        http.send(
            "POST",
            "/Patient",
            "text/plain",
            BodyPublishers.ofString("{\"resourceType\":\"Patient\"}")),
        415,
        "Content-Type");
  }

  @Test
  void badInput_oversizedBody_answers413_withAndWithoutContentLength() {
    byte[] big = new byte[33 * 1024 * 1024]; // the default limit is 32 MB
    java.util.Arrays.fill(big, (byte) ' ');
    assertRejected(
        http.send("POST", "/Patient", "application/fhir+json", BodyPublishers.ofByteArray(big)),
        413,
        "exceeds the limit");
    // a body of unknown length arrives chunked
    assertRejected(
        http.send(
            "POST",
            "/Patient",
            "application/fhir+json",
            BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))),
        413,
        "exceeds the limit");
    // just under the limit is parsed as usual
    String padded =
        "{\"resourceType\":\"Patient\",\"active\":true" + " ".repeat(31 * 1024 * 1024) + "}";
    assertThat(
            http.send(
                    "POST",
                    "/Patient",
                    "application/fhir+json",
                    BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(padded.getBytes())))
                .statusCode())
        .isEqualTo(201);
  }

  @Test
  void badInput_referenceToMissingResource_answers422() {
    assertRejected(
        http.send(
            "POST",
            "/Observation",
            "application/fhir+json",
            BodyPublishers.ofString(
                "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},\"subject\":{\"reference\":\"Patient/does-not-exist\"}}")),
        422,
        "Patient/does-not-exist");
  }

  // ---- what the server publishes ----

  @Test
  void capabilityStatement_listsTheCoreTypesWithTheirInteractions() {
    CapabilityStatement capabilities =
        client.capabilities().ofType(CapabilityStatement.class).execute();
    assertThat(capabilities.getFhirVersion().toCode()).isEqualTo("4.0.1");
    List<String> types =
        capabilities.getRestFirstRep().getResource().stream().map(r -> r.getType()).toList();
    assertThat(types)
        .contains("Patient", "Observation", "DiagnosticReport", "Consent", "Specimen")
        .hasSizeGreaterThan(140);
  }

  @Test
  void openApi_describesTheApi_andSwaggerUiIsServed() {
    HttpResponse<String> apiDocs = http.get("/api-docs");
    assertThat(apiDocs.statusCode()).isEqualTo(200);
    assertThat(apiDocs.body()).contains("openapi").contains("/Patient/{id}");
    assertThat(http.get("/swagger-ui/").statusCode()).isEqualTo(200);
  }

  // ---- realistic data ----

  @Test
  void synthea_hospitalsPractitionersAndPatients_loadAndReadBackUnchanged() {
    SyntheaRoundTrip roundTrip = new SyntheaRoundTrip(FHIR, client);
    for (Path bundle : SyntheaData.bundles()) {
      roundTrip.post(bundle);
    }
    SyntheaRoundTrip.Report report = roundTrip.readBackEverything();
    assertThat(report.mismatches()).isEmpty();
    assertThat(report.resourcesCompared()).isGreaterThan(1000);

    // every stored version, Synthea's included, recomputes to its ledger commitment
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        VerifyCommand.run(
            new String[] {
              "--key", rawGet("/ledger/key").body().trim(),
              "--pseudonym-key-file",
                  environment.getProperty("chartproof.ledger.pseudonym-key-file"),
              "--db-url", environment.getProperty("spring.datasource.url"),
              "--db-user", environment.getProperty("spring.datasource.username")
            },
            Map.of(
                "SPRING_DATASOURCE_PASSWORD",
                environment.getProperty("spring.datasource.password", "")),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).as(out + "\n" + err).isEqualTo(0);
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("OK: ");
    System.out.println(out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
  }

  // ---- the ledger ----

  @Test
  void ledger_checkpointIsSignedByThePublishedKey() throws Exception {
    HttpResponse<String> key = rawGet("/ledger/key");
    assertThat(key.statusCode()).isEqualTo(200);
    VerifierKey verifierKey = VerifierKey.parse(key.body().trim());
    HttpResponse<String> note = rawGet("/ledger/checkpoint");
    assertThat(note.statusCode()).isEqualTo(200);

    VerifiedNote verified =
        SignedNote.open(note.body().getBytes(StandardCharsets.UTF_8), List.of(verifierKey));
    Checkpoint checkpoint = Checkpoint.parse(verified.text());
    assertThat(checkpoint.origin()).isEqualTo("chartproof.localhost/ledger");
    assertThat(checkpoint.extensions()).anyMatch(line -> line.startsWith("height "));

    byte[] tampered =
        note.body()
            .replace("chartproof.localhost", "chartproof.localhosT")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> SignedNote.open(tampered, List.of(verifierKey)))
        .isInstanceOf(InvalidNoteException.class);
  }

  @Test
  void ledger_everyWriteAppendsOneEntry_andCheckpointsStayConsistent() throws Exception {
    long entries = entryCount();
    Checkpoint before = awaitCheckpoint(entries); // every earlier entry integrated
    assertThat(before.treeSize()).isEqualTo(entries);
    IdType id = createPatient("Ledgered");
    assertThat(entryCount()).as("create").isEqualTo(entries += 1);
    Patient patient = client.read().resource(Patient.class).withId(id).execute();
    patient.setActive(true);
    client.update().resource(patient).execute();
    assertThat(entryCount()).as("update").isEqualTo(entries += 1);
    client
        .patch()
        .withBody("[{\"op\":\"replace\",\"path\":\"/active\",\"value\":false}]")
        .withId(id)
        .execute();
    assertThat(entryCount()).as("patch").isEqualTo(entries += 1);
    client.delete().resourceById(id).execute();
    assertThat(entryCount()).as("delete").isEqualTo(entries += 1);
    String mrn = "MRN-" + UUID.randomUUID();
    Bundle response =
        transaction(
            Files.readString(repoRoot().resolve("docs/examples/lab-report-transaction.json"))
                .replace("MRN-000123", mrn));
    // the Practitioner may exist from an earlier test: a conditional create that finds it
    // writes nothing, and nothing is ledgered for it
    long written =
        response.getEntry().stream()
            .filter(e -> e.getResponse().getStatus().startsWith("201"))
            .count();
    assertThat(written).isGreaterThanOrEqualTo(11);
    assertThat(entryCount()).as("transaction bundle").isEqualTo(entries += written);
    long expected = entries;

    Checkpoint after = awaitCheckpoint(expected);
    assertThat(after.treeSize()).isEqualTo(expected);
    List<byte[]> proof = consistencyProof(before.treeSize(), after.treeSize());
    if (before.treeSize() > 0) {
      ProofVerifier.verifyConsistency(
          before.treeSize(), after.treeSize(), proof, before.rootHash(), after.rootHash());
    }
  }

  @Test
  void ledger_failedTransaction_appendsNothing() throws Exception {
    long size = awaitCheckpoint(entryCount()).treeSize();
    transaction_withOneInvalidEntry_storesNothing();
    createPatient("AfterFailure");
    assertThat(awaitCheckpoint(size + 1).treeSize()).isEqualTo(size + 1);
  }

  @Test
  void ledger_entriesCarryNoRawIdsOrContent() {
    String marker = "zz" + UUID.randomUUID().toString().replace("-", "");
    Patient patient = new Patient();
    patient.setId("pt-" + marker);
    patient.addName().setFamily("Family" + marker);
    client.update().resource(patient).execute();
    List<byte[]> entries =
        jdbc()
            .query(
                "SELECT entry FROM cp_ledger_entry UNION ALL SELECT entry FROM cp_ledger_pending",
                (rs, i) -> rs.getBytes(1));
    assertThat(entries)
        .isNotEmpty()
        .noneMatch(e -> new String(e, StandardCharsets.US_ASCII).contains(marker));
  }

  @Test
  void ledger_whenTheEntryCannotBeAppended_theWriteIsRolledBack() {
    String family = "Unledgered-" + UUID.randomUUID();
    JdbcTemplate jdbc = jdbc();
    jdbc.execute("ALTER TABLE cp_ledger_pending RENAME TO cp_ledger_pending_hidden");
    try {
      Patient patient = new Patient();
      patient.addName().setFamily(family);
      HttpResponse<String> response =
          http.send(
              "POST",
              "/Patient",
              "application/fhir+json",
              BodyPublishers.ofString(FHIR.newJsonParser().encodeResourceToString(patient)));
      assertThat(response.statusCode()).isEqualTo(500);
    } finally {
      jdbc.execute("ALTER TABLE cp_ledger_pending_hidden RENAME TO cp_ledger_pending");
    }
    assertThat(searchIds("Patient?family=" + family)).isEmpty();
  }

  // ---- helpers ----

  /** Adds an entry that creates {@code resource} (POST to its type). */
  static BundleEntryComponent addPost(Bundle bundle, Resource resource) {
    BundleEntryComponent entry = bundle.addEntry().setResource(resource);
    entry.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(resource.fhirType());
    return entry;
  }

  @Autowired DataSource dataSource;

  long entryCount() {
    return jdbc().queryForObject(LedgerTables.COUNT_ALL_ENTRIES, Long.class);
  }

  JdbcTemplate jdbc() {
    return new JdbcTemplate(dataSource);
  }

  /** Waits (bounded) until the signed checkpoint covers at least {@code size} entries. */
  Checkpoint awaitCheckpoint(long size) throws Exception {
    VerifierKey key = VerifierKey.parse(rawGet("/ledger/key").body().trim());
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    while (true) {
      byte[] note = rawGet("/ledger/checkpoint").body().getBytes(StandardCharsets.UTF_8);
      Checkpoint checkpoint = Checkpoint.parse(SignedNote.open(note, List.of(key)).text());
      if (checkpoint.treeSize() >= size) {
        return checkpoint;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "checkpoint stuck at " + checkpoint.treeSize() + ", expected " + size);
      }
      Thread.sleep(100);
    }
  }

  List<byte[]> consistencyProof(long from, long to) {
    if (from == 0) {
      return List.of();
    }
    HttpResponse<String> response = rawGet("/ledger/proof/consistency?from=" + from + "&to=" + to);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body().lines().map(java.util.Base64.getDecoder()::decode).toList();
  }

  @Override
  public HttpResponse<String> rawGet(String pathOutsideFhir) {
    return http.send(
        HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + pathOutsideFhir))
            .GET());
  }

  Bundle transaction(String bundleJson) {
    return FHIR.newJsonParser()
        .parseResource(Bundle.class, client.transaction().withBundle(bundleJson).execute());
  }

  IdType createPatient(String family) {
    Patient patient = new Patient();
    patient.addName().setFamily(family);
    return create(patient);
  }

  /** The new resource's id, relative and versionless: {@code Patient/123}. */
  IdType create(IBaseResource resource) {
    return ((IdType) client.create().resource(resource).execute().getId())
        .toUnqualifiedVersionless();
  }

  static Observation observation(IdType patient, String loinc, String category, String when) {
    Observation observation = new Observation();
    observation.setStatus(Observation.ObservationStatus.FINAL);
    observation
        .addCategory()
        .addCoding()
        .setSystem("http://terminology.hl7.org/CodeSystem/observation-category")
        .setCode(category);
    observation.getCode().addCoding().setSystem(LOINC).setCode(loinc);
    observation.setSubject(new Reference(patient.toUnqualifiedVersionless()));
    observation.setEffective(new DateTimeType(when));
    return observation;
  }

  List<String> searchIds(String url) {
    Bundle bundle = client.search().byUrl(url).returnBundle(Bundle.class).execute();
    return bundle.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toList();
  }

  static String id(IdType id) {
    return id.getIdPart();
  }

  static List<String> typesIn(Bundle bundle) {
    return bundle.getEntry().stream().map(e -> e.getResource().fhirType()).toList();
  }

  static IdType locationOf(Bundle response, String type) {
    return response.getEntry().stream()
        .map(BundleEntryComponent::getResponse)
        .map(r -> new IdType(r.getLocation()))
        .filter(id -> type.equals(id.getResourceType()))
        .findFirst()
        .orElseThrow()
        .toVersionless();
  }

  HttpRequest.Builder put(IdType id, String body) {
    return HttpRequest.newBuilder(http.uri("/" + id.getValue()))
        .PUT(BodyPublishers.ofString(body))
        .header("Content-Type", "application/fhir+json");
  }

  void assertRejected(HttpResponse<String> response, int status, String diagnostics) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertOperationOutcome(response, diagnostics);
    // the server keeps serving
    assertThat(http.get("/metadata").statusCode()).isEqualTo(200);
  }

  static void assertOperationOutcome(HttpResponse<String> response, String diagnostics) {
    OperationOutcome outcome =
        FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
    assertThat(outcome.getIssueFirstRep().getSeverity())
        .isEqualTo(OperationOutcome.IssueSeverity.ERROR);
    assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains(diagnostics);
  }

  /** The checkout's root: tests read the documented examples and ../shared from there. */
  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "not inside a Chartproof checkout: " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
