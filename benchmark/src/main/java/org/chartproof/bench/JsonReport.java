package org.chartproof.bench;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Every figure of a run as JSON, for scripts and for keeping raw data next to docs. */
final class JsonReport {

  private JsonReport() {}

  /**
   * @param b null when only A was measured
   */
  static String render(
      String command,
      Instant started,
      Machine machine,
      Options options,
      Target a,
      Target b,
      Results results) {
    JsonWriter json = new JsonWriter().beginObject();
    json.name("command").value(command);
    json.name("started").value(started.toString());
    json.name("machine").beginObject();
    json.name("cpus").value(machine.cpus());
    json.name("cpu_model").value(machine.cpuModel());
    json.name("memory_mb").value(machine.memoryMb());
    json.name("os").value(machine.os());
    json.name("java").value(machine.java());
    json.endObject();
    settings(json.name("settings"), options);
    json.name("targets").beginArray();
    target(json, a);
    if (b != null) {
      target(json, b);
    }
    json.endArray();
    json.name("rounds").beginArray();
    for (Results.Round round : results.rounds()) {
      json.beginObject().name("round").value(round.number());
      json.name("warmup").value(round.warmup());
      json.name("order").beginArray();
      round.order().forEach(json::value);
      json.endArray();
      json.name("results").beginObject();
      for (String label : round.order()) {
        phases(json.name(label), round.byLabel().get(label));
      }
      json.endObject().endObject();
    }
    json.endArray();
    summary(
        json.name("summary"),
        SummaryRow.of(
            options.phases(),
            results.measured(a.label()),
            b == null ? null : results.measured(b.label())),
        b != null);
    long errors = results.totalErrors();
    json.name("errors").value(errors);
    json.name("valid").value(errors == 0);
    return json.endObject() + System.lineSeparator();
  }

  private static void settings(JsonWriter json, Options options) {
    json.beginObject();
    json.name("rounds").value(options.rounds());
    json.name("warmup_rounds").value(options.warmupRounds());
    json.name("order").value(options.order().name().toLowerCase(Locale.ROOT));
    json.name("seconds").value(options.seconds());
    json.name("warmup_seconds").value(options.warmupSeconds());
    json.name("concurrency").value(options.concurrency());
    json.name("observations_per_patient").value(options.observationsPerPatient());
    json.name("search_patients").value(options.searchPatients());
    json.endObject();
  }

  private static void target(JsonWriter json, Target target) {
    json.beginObject();
    json.name("label").value(target.label());
    json.name("url").value(target.http().base());
    ServerProcess server = target.server();
    json.name("server_command").value(server == null ? null : String.join(" ", server.command()));
    json.name("server_log").value(server == null ? null : server.log().toString());
    json.endObject();
  }

  private static void phases(JsonWriter json, List<PhaseResult> phases) {
    json.beginArray();
    for (PhaseResult r : phases) {
      json.beginObject();
      json.name("phase").value(r.phase().label());
      json.name("seconds").value(r.seconds());
      json.name("requests").value(r.requests());
      json.name("throughput").value(r.throughput());
      json.name("p50_ms").value(r.p50Ms());
      json.name("p95_ms").value(r.p95Ms());
      json.name("p99_ms").value(r.p99Ms());
      json.name("errors").value(r.errors());
      json.name("warmup_errors").value(r.warmupErrors());
      json.name("error_kinds").beginObject();
      for (Map.Entry<String, Long> e : r.errorKinds().entrySet()) {
        json.name(e.getKey()).value(e.getValue());
      }
      json.endObject();
      json.name("first_error").value(r.firstError());
      json.endObject();
    }
    json.endArray();
  }

  private static void summary(JsonWriter json, List<SummaryRow> rows, boolean withB) {
    json.beginArray();
    for (SummaryRow row : rows) {
      json.beginObject();
      json.name("metric").value(row.name());
      json.name("a").values(row.a());
      json.name("median_a").value(Ratios.median(row.a()));
      if (withB) {
        json.name("b").values(row.b());
        json.name("median_b").value(Ratios.median(row.b()));
        json.name("ratios_b_over_a").values(row.ratios());
        json.name("median_ratio").value(Ratios.median(row.ratios()));
        json.name("min_ratio").value(Ratios.min(row.ratios()));
        json.name("max_ratio").value(Ratios.max(row.ratios()));
      }
      json.endObject();
    }
    json.endArray();
  }
}
