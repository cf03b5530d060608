package org.chartproof.bench;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Random but valid FHIR R4 resources. Every name and value is invented here, so nothing the harness
 * sends or prints can be a real person's data.
 */
final class SyntheticData {

  private static final List<String> FAMILY =
      List.of("Rivera", "Okafor", "Lindqvist", "Tanaka", "Moreau", "Novak", "Haddad", "Silva");
  private static final List<String> GIVEN =
      List.of("Alex", "Sam", "Robin", "Kim", "Jordan", "Noa", "Eli", "Maya");
  private static final List<String> GENDER = List.of("female", "male", "other", "unknown");
  private static final LocalDate FIRST_BIRTH = LocalDate.of(1930, 1, 1);
  private static final int BIRTH_RANGE_DAYS = 90 * 365;
  private static final Instant FIRST_OBSERVATION = Instant.parse("2024-01-01T00:00:00Z");
  private static final int OBSERVATION_RANGE_SECONDS = 365 * 24 * 3600;

  private SyntheticData() {}

  /** A Patient with a name, gender and birth date. */
  static String patient(RandomGenerator random) {
    return """
        {"resourceType":"Patient","name":[{"family":"%s","given":["%s"]}],\
        "gender":"%s","birthDate":"%s"}"""
        .formatted(
            pick(FAMILY, random),
            pick(GIVEN, random),
            pick(GENDER, random),
            FIRST_BIRTH.plusDays(random.nextInt(BIRTH_RANGE_DAYS)));
  }

  /**
   * A final heart-rate vital sign (LOINC 8867-4) of the given patient, with category, effective
   * time and a UCUM quantity as the R4 vital-signs profile asks.
   */
  static String observation(String patientId, RandomGenerator random) {
    Instant effective =
        FIRST_OBSERVATION
            .plusSeconds(random.nextInt(OBSERVATION_RANGE_SECONDS))
            .truncatedTo(ChronoUnit.SECONDS);
    return String.format(
        Locale.ROOT,
        """
        {"resourceType":"Observation","status":"final",\
        "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category",\
        "code":"vital-signs","display":"Vital Signs"}]}],\
        "code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}],\
        "text":"Heart rate"},\
        "subject":{"reference":"Patient/%s"},"effectiveDateTime":"%s",\
        "valueQuantity":{"value":%d,"unit":"beats/minute","system":"http://unitsofmeasure.org",\
        "code":"/min"}}""",
        patientId,
        effective,
        50 + random.nextInt(71));
  }

  private static String pick(List<String> values, RandomGenerator random) {
    return values.get(random.nextInt(values.size()));
  }
}
