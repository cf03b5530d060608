package org.chartproof.server.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.chartproof.server.TestPostgres;
import org.chartproof.server.encryption.DatabaseScan.Hit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Patients and lab results carrying unique marker strings, written over HTTP to a server on
 * PostgreSQL, then searched for in every column of every table, in large objects and in a pg_dump:
 * no marker may be left in resource storage; with the default configuration only HAPI's search
 * index tables ({@code hfj_spidx_*}) hold the indexed ones, and with {@code
 * index-personal-data=false} no marker is anywhere.
 */
class MarkerScanIT {

  private static final EmbeddedPostgres POSTGRES = TestPostgres.start();

  private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private final List<String> markers = new ArrayList<>();

  @TempDir Path dataDir;

  private String marker(String field) {
    String marker = ("CPMK" + run + field).toUpperCase(Locale.ROOT);
    markers.add(marker);
    return marker;
  }

  @Test
  void defaults_noMarkerInResourceStorage_indexedOnesOnlyInSearchIndexTables() throws Exception {
    try (EncryptedServer server =
        EncryptedServer.start(POSTGRES, "scan_defaults", dataDir.resolve("data"))) {
      writeMarkedRecords(server);

      Set<Hit> hits = DatabaseScan.columns(server.jdbc(), markers);
      hits.addAll(
          DatabaseScan.dump(
              DatabaseScan.pgDump(),
              POSTGRES.getPort(),
              server.database,
              dataDir.resolve("dump.sql"),
              markers));

      // the scan sees plaintext where HAPI indexes it: names, addresses, identifiers, values
      assertThat(hits.stream().map(Hit::table))
          .as("the scan finds the indexed markers")
          .contains("hfj_spidx_string");
      assertThat(hits.stream().filter(h -> !h.table().startsWith("hfj_spidx_")))
          .as("markers outside the search index tables")
          .isEmpty();
      assertThat(hits.stream().map(Hit::marker).collect(Collectors.toSet()))
          .as("never indexed: notes, conclusions, search terms")
          .doesNotContain(marker("NOTE"), marker("CONCLUSION"), marker("SEARCHTERM"));
      // the searches were kept in HFJ_SEARCH, by a keyed hash of their query only
      assertThat(
              server
                  .jdbc()
                  .queryForList("SELECT search_query_string_vc FROM hfj_search", String.class))
          .anyMatch(q -> q.startsWith(SearchQueryHashing.PREFIX))
          .noneMatch(q -> q.contains("="));
    }
  }

  @Test
  void withoutPersonalDataIndexing_noMarkerAnywhere_andSuchSearchesAreRefused() throws Exception {
    try (EncryptedServer server =
        EncryptedServer.start(
            POSTGRES,
            "scan_no_personal_index",
            dataDir.resolve("data"),
            "--chartproof.encryption.index-personal-data=false")) {
      writeMarkedRecords(server);

      Set<Hit> hits = DatabaseScan.columns(server.jdbc(), markers);
      hits.addAll(
          DatabaseScan.dump(
              DatabaseScan.pgDump(),
              POSTGRES.getPort(),
              server.database,
              dataDir.resolve("dump.sql"),
              markers));
      assertThat(hits).as("markers anywhere in the database").isEmpty();

      HttpResponse<String> byName = server.get("/fhir/Patient?family=" + marker("FAMILY"));
      assertThat(byName.statusCode()).as(byName.body()).isEqualTo(400);
      assertThat(byName.body()).contains("index-personal-data");
      assertThat(byName.body()).doesNotContain(marker("FAMILY"));
    }
  }

  /** The control: the same scan finds every body in clear when encryption is off. */
  @Test
  void encryptionOff_theScanFindsTheBodiesInClear() throws Exception {
    try (EncryptedServer server =
        EncryptedServer.start(
            POSTGRES,
            "scan_encryption_off",
            dataDir.resolve("data"),
            "--chartproof.encryption.enabled=false")) {
      writeMarkedRecords(server);

      Set<Hit> hits = DatabaseScan.columns(server.jdbc(), markers);

      assertThat(hits)
          .as("notes and conclusions stored in clear")
          .contains(
              new Hit("hfj_res_ver.res_text_vc", marker("NOTE")),
              new Hit("hfj_res_ver.res_text_vc", marker("CONCLUSION")),
              new Hit("hfj_res_ver.res_text_vc", marker("UPDATENOTE")));
    }
  }

  /** Patients, lab results, a lab transaction bundle and an update, each field with a marker. */
  private void writeMarkedRecords(EncryptedServer server) throws Exception {
    String patient =
        server.create(
            "Patient",
            """
            {"resourceType":"Patient",
             "identifier":[{"system":"urn:oid:1.2.36.146.595.217.0.1","value":"%s"}],
             "name":[{"family":"%s","given":["%s"]}],
             "telecom":[{"system":"phone","value":"%s"},{"system":"email","value":"%s@example.org"}],
             "gender":"female","birthDate":"1961-07-23",
             "address":[{"line":["%s"],"city":"%s","postalCode":"3000"}]}
            """
                .formatted(
                    marker("MRN"),
                    marker("FAMILY"),
                    marker("GIVEN"),
                    marker("PHONE"),
                    marker("EMAIL"),
                    marker("STREET"),
                    marker("CITY")));
    String observation =
        server.create(
            "Observation",
            """
            {"resourceType":"Observation","status":"final",
             "code":{"coding":[{"system":"http://loinc.org","code":"718-7"}],"text":"Hemoglobin"},
             "subject":{"reference":"Patient/%s"},
             "valueString":"%s",
             "note":[{"text":"%s"}]}
            """
                .formatted(patient, marker("VALUESTRING"), marker("NOTE")));
    server.create(
        "DiagnosticReport",
        """
        {"resourceType":"DiagnosticReport","status":"final",
         "code":{"coding":[{"system":"http://loinc.org","code":"58410-2"}]},
         "subject":{"reference":"Patient/%s"},
         "result":[{"reference":"Observation/%s"}],
         "conclusion":"%s"}
        """
            .formatted(patient, observation, marker("CONCLUSION")));
    HttpResponse<String> bundle =
        server.send(
            "POST",
            "/fhir",
            """
            {"resourceType":"Bundle","type":"transaction","entry":[
             {"fullUrl":"urn:uuid:8f1d5a3e-0000-4000-8000-000000000001",
              "resource":{"resourceType":"Patient","name":[{"family":"%s"}]},
              "request":{"method":"POST","url":"Patient"}},
             {"fullUrl":"urn:uuid:8f1d5a3e-0000-4000-8000-000000000002",
              "resource":{"resourceType":"Observation","status":"final",
               "code":{"coding":[{"system":"http://loinc.org","code":"2345-7"}]},
               "subject":{"reference":"urn:uuid:8f1d5a3e-0000-4000-8000-000000000001"},
               "valueQuantity":{"value":5.4,"unit":"mmol/L"},
               "note":[{"text":"%s"}]},
              "request":{"method":"POST","url":"Observation"}}]}
            """
                .formatted(marker("BUNDLEFAMILY"), marker("BUNDLENOTE")));
    assertThat(bundle.statusCode()).as(bundle.body()).isEqualTo(200);
    HttpResponse<String> updated =
        server.send(
            "PUT",
            "/fhir/Observation/" + observation,
            """
            {"resourceType":"Observation","id":"%s","status":"amended",
             "code":{"coding":[{"system":"http://loinc.org","code":"718-7"}],"text":"Hemoglobin"},
             "subject":{"reference":"Patient/%s"},
             "valueString":"%s",
             "note":[{"text":"%s"}]}
            """
                .formatted(observation, patient, marker("VALUESTRING"), marker("UPDATENOTE")));
    assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    // a search whose term must not be kept in clear (HFJ_SEARCH)
    HttpResponse<String> search = server.get("/fhir/Observation?code:text=" + marker("SEARCHTERM"));
    assertThat(search.statusCode()).as(search.body()).isEqualTo(200);

    // everything reads back as written: the bodies are stored, only not in clear
    assertThat(server.get("/fhir/Patient/" + patient).body())
        .contains(marker("FAMILY"), marker("STREET"), marker("MRN"));
    assertThat(server.get("/fhir/Observation/" + observation + "/_history/1").body())
        .contains(marker("NOTE"));
    assertThat(server.get("/fhir/Observation/" + observation).body())
        .contains(marker("UPDATENOTE"));
    assertThat(server.get("/fhir/DiagnosticReport?subject=Patient/" + patient).body())
        .contains(marker("CONCLUSION"));
    assertThat(server.get("/fhir/Observation?code=http://loinc.org%7C2345-7").body())
        .contains(marker("BUNDLENOTE"));
  }
}
