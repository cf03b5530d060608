package org.chartproof.consent.replay;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.chartproof.consent.CompiledConsent;
import org.chartproof.consent.ConsentEngine;
import org.chartproof.consent.Decision;
import org.chartproof.consent.RuleVersion;
import org.hl7.fhir.r4.model.Consent;

/**
 * Re-evaluates a recorded decision from its recorded inputs and confirms or refutes it.
 *
 * <p>As a command: {@code java -cp consent-engine.jar:<dependencies>
 * org.chartproof.consent.replay.Replay record.json} prints one line and exits with 0 (confirmed), 1
 * (refuted), 2 (refused: another rule version) or 3 (unreadable record).
 */
public final class Replay {

  private Replay() {}

  /**
   * Replays a record. Refuses, without deciding, when the record's rule version is not this
   * engine's {@link RuleVersion#current()}: another rule version may decide differently, so neither
   * a match nor a mismatch would prove anything.
   *
   * @throws InvalidRecordException if a recorded Consent cannot be parsed
   */
  public static ReplayResult check(RecordedDecision record) {
    Decision recorded = record.decision();
    String current = RuleVersion.current();
    if (!current.equals(record.ruleVersion())) {
      return new ReplayResult(
          ReplayResult.Outcome.REFUSED,
          recorded,
          null,
          "refused: recorded under rule version "
              + record.ruleVersion()
              + " but this engine is "
              + current
              + "; replay it with the engine build of the recorded version");
    }
    ConsentEngine engine = new ConsentEngine(record.policy());
    List<CompiledConsent> compiled = new ArrayList<>();
    for (Consent consent : record.parsedConsents()) {
      compiled.add(engine.compile(consent));
    }
    Decision replayed = engine.decide(compiled, record.request(), record.now());
    if (replayed.equals(recorded)) {
      return new ReplayResult(
          ReplayResult.Outcome.CONFIRMED,
          recorded,
          replayed,
          "confirmed: " + replayed.verdict() + " " + replayed.reason());
    }
    return new ReplayResult(
        ReplayResult.Outcome.REFUTED,
        recorded,
        replayed,
        "refuted: recorded " + describe(recorded) + " but the inputs give " + describe(replayed));
  }

  /** Command line: replays the record in the file named by the only argument. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** The command: prints one line and returns the exit code documented on this class. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length != 1) {
      err.println("usage: Replay <recorded-decision.json>");
      return 3;
    }
    ReplayResult result;
    try {
      String json = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
      result = check(RecordedDecision.fromJson(json));
    } catch (IOException | InvalidRecordException e) {
      err.println("unreadable record: " + e.getMessage());
      return 3;
    }
    out.println(result.message());
    return switch (result.outcome()) {
      case CONFIRMED -> 0;
      case REFUTED -> 1;
      case REFUSED -> 2;
    };
  }

  private static String describe(Decision d) {
    return d.verdict()
        + " "
        + d.reason()
        + (d.redactLabels().isEmpty() ? "" : " redact " + d.redactLabels())
        + (d.breakGlass() ? " break-glass" : "");
  }
}
