package org.chartproof.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocationTest {

  @Test
  void idFromAnAbsoluteLocationWithVersion() {
    assertThat(
            FhirHttp.idFromLocation("http://127.0.0.1:8080/fhir/Patient/123/_history/1", "Patient"))
        .isEqualTo("123");
  }

  @Test
  void idFromRelativeAndUnversionedLocations() {
    assertThat(FhirHttp.idFromLocation("Observation/abc-1.x/_history/7", "Observation"))
        .isEqualTo("abc-1.x");
    assertThat(FhirHttp.idFromLocation("https://h/base/Patient/42", "Patient")).isEqualTo("42");
    assertThat(FhirHttp.idFromLocation("https://h/base/Patient/42/", "Patient")).isEqualTo("42");
    assertThat(FhirHttp.idFromLocation("/fhir/Patient/9/_history/2?x=y", "Patient")).isEqualTo("9");
  }

  @Test
  void noIdWhenTheLocationIsMissingOrForeign() {
    assertThat(FhirHttp.idFromLocation(null, "Patient")).isNull();
    assertThat(FhirHttp.idFromLocation("", "Patient")).isNull();
    assertThat(FhirHttp.idFromLocation("http://h/fhir/Observation/1/_history/1", "Patient"))
        .isNull();
    assertThat(FhirHttp.idFromLocation("http://h/fhir/Patient/1/_history", "Patient")).isNull();
    assertThat(FhirHttp.idFromLocation("http://h/fhir/Patient/1/_history/1/x", "Patient")).isNull();
    assertThat(FhirHttp.idFromLocation("http://h/fhir/Patient/bad%20id", "Patient")).isNull();
    assertThat(FhirHttp.idFromLocation("Patient", "Patient")).isNull();
  }
}
