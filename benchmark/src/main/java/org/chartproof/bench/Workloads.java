package org.chartproof.bench;

import java.net.http.HttpResponse;
import java.util.concurrent.ThreadLocalRandom;
import org.chartproof.bench.PhaseRunner.Workload;

/** The work of each phase. */
final class Workloads {

  private Workloads() {}

  /**
   * Creates a Patient, then {@code observationsPerPatient} Observations referencing it; every id
   * goes into the target's pools for the later phases.
   */
  static Workload creates(Target target, int observationsPerPatient) {
    return worker -> {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      String patient = create(worker, "Patient", SyntheticData.patient(random));
      if (patient == null) {
        return;
      }
      target.patients.add(patient);
      int made = 0;
      for (int i = 0; i < observationsPerPatient && !worker.expired(); i++) {
        String observation =
            create(worker, "Observation", SyntheticData.observation(patient, random));
        if (observation != null) {
          target.observations.add(observation);
          made++;
        }
      }
      if (made == observationsPerPatient) {
        target.searchablePatients.add(patient);
      }
    };
  }

  /** Reads a random Patient or (equally often, if there are any) a random Observation by id. */
  static Workload reads(String[] patients, String[] observations) {
    return worker -> {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      boolean observation = observations.length > 0 && random.nextBoolean();
      worker.send(
          observation
              ? worker.http().read("Observation", pick(observations, random))
              : worker.http().read("Patient", pick(patients, random)));
    };
  }

  /** Searches the Observations of a random patient among {@code patients}. */
  static Workload searches(String[] patients, boolean bypassCache) {
    return worker ->
        worker.send(
            worker
                .http()
                .searchObservations(pick(patients, ThreadLocalRandom.current()), bypassCache));
  }

  /** POSTs the resource; returns its id from the Location header, or null if the create failed. */
  private static String create(Worker worker, String type, String json) {
    HttpResponse<byte[]> response = worker.send(worker.http().create(type, json));
    if (response == null) {
      return null;
    }
    String location = response.headers().firstValue("Location").orElse(null);
    String id = FhirHttp.idFromLocation(location, type);
    if (id == null) {
      worker.fail(
          "create without usable Location",
          "POST " + type + " -> " + response.statusCode() + " Location: " + location);
    }
    return id;
  }

  private static String pick(String[] ids, ThreadLocalRandom random) {
    return ids[random.nextInt(ids.length)];
  }
}
