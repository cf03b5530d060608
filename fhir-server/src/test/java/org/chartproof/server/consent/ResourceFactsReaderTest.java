package org.chartproof.server.consent;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.Date;
import org.chartproof.consent.Code;
import org.chartproof.consent.ResourceFacts;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class ResourceFactsReaderTest {

  private static final String LOINC = "http://loinc.org";
  private static final String OBS_CATEGORY =
      "http://terminology.hl7.org/CodeSystem/observation-category";
  private static final Instant EFFECTIVE = Instant.parse("2024-03-01T10:15:00Z");

  private final ResourceFactsReader reader = new ResourceFactsReader(FhirContext.forR4Cached());

  @Test
  void observation_factsFromSubjectCodeCategoryEffectivePerformerAndLabels() {
    Observation obs = new Observation();
    obs.setId("Observation/o1/_history/3");
    obs.setSubject(new Reference("Patient/p1"));
    obs.setCode(new CodeableConcept(new Coding(LOINC, "2345-7", "Glucose")));
    obs.addCategory(new CodeableConcept(new Coding(OBS_CATEGORY, "laboratory", null)));
    obs.setEffective(new DateTimeType(Date.from(EFFECTIVE)));
    obs.setIssued(Date.from(EFFECTIVE.plusSeconds(3600)));
    obs.addPerformer(new Reference("http://example.org/fhir/Organization/lab/_history/2"));
    obs.addPerformer(new Reference("#contained"));
    obs.getMeta().addSecurity(Code.CONFIDENTIALITY, "R", null);
    obs.getMeta().addProfile("http://hl7.org/fhir/StructureDefinition/vitalsigns");

    assertThat(reader.isPatientData("Observation")).isTrue();
    assertThat(reader.patients(obs)).containsExactly("Patient/p1");
    ResourceFacts facts = reader.facts(obs);
    assertThat(facts.type()).isEqualTo("Observation");
    assertThat(facts.id()).isEqualTo("o1");
    assertThat(facts.versionId()).isEqualTo("3");
    assertThat(facts.codes())
        .containsExactlyInAnyOrder(Code.of(LOINC, "2345-7"), Code.of(OBS_CATEGORY, "laboratory"));
    assertThat(facts.securityLabels()).containsExactly(Code.of(Code.CONFIDENTIALITY, "R"));
    assertThat(facts.classes())
        .containsExactly(new Code(null, "http://hl7.org/fhir/StructureDefinition/vitalsigns"));
    assertThat(facts.dataDate()).as("effective wins over issued").isEqualTo(EFFECTIVE);
    assertThat(facts.authors()).containsExactly("Organization/lab");
    assertThat(facts.references()).containsExactlyInAnyOrder("Patient/p1", "Organization/lab");
    assertThat(facts.referencedBy()).isEmpty();
  }

  @Test
  void observation_withoutDatesOrAuthors_leavesThemMissing() {
    Observation obs = new Observation();
    obs.setId("o2");
    obs.setSubject(new Reference("Patient/p1"));
    ResourceFacts facts = reader.facts(obs);
    assertThat(facts.dataDate()).isNull();
    assertThat(facts.authors()).isEmpty();
    assertThat(facts.codes()).isEmpty();
  }

  @Test
  void observation_aboutAGroup_belongsToNoPatient() {
    Observation obs = new Observation();
    obs.setId("o3");
    obs.setSubject(new Reference("Group/g1"));
    assertThat(reader.patients(obs)).isEmpty();
  }

  @Test
  void diagnosticReport_periodStartIsTheDate_resultsInterpreterIsAnAuthor() {
    DiagnosticReport report = new DiagnosticReport();
    report.setId("DiagnosticReport/r1/_history/1");
    report.setSubject(new Reference("Patient/p2"));
    report.setCode(new CodeableConcept(new Coding(LOINC, "58410-2", null)));
    report.addCategory(
        new CodeableConcept(
            new Coding("http://terminology.hl7.org/CodeSystem/v2-0074", "LAB", null)));
    report.setEffective(new Period().setStart(Date.from(EFFECTIVE)));
    report.addResultsInterpreter(new Reference("Practitioner/pathologist"));
    report.addPerformer(new Reference("Organization/lab"));
    report.addResult(new Reference("Observation/o1"));

    assertThat(reader.patients(report)).containsExactly("Patient/p2");
    ResourceFacts facts = reader.facts(report);
    assertThat(facts.codes())
        .containsExactlyInAnyOrder(
            Code.of(LOINC, "58410-2"),
            Code.of("http://terminology.hl7.org/CodeSystem/v2-0074", "LAB"));
    assertThat(facts.dataDate()).isEqualTo(EFFECTIVE);
    assertThat(facts.authors())
        .containsExactlyInAnyOrder("Practitioner/pathologist", "Organization/lab");
    assertThat(facts.references()).contains("Observation/o1", "Patient/p2");
  }

  @Test
  void patient_isItsOwnPatient_andHasNoClinicalDate() {
    Patient patient = new Patient();
    patient.setId("Patient/p3/_history/2");
    patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1970-01-01"));
    patient.getMeta().setLastUpdatedElement(new InstantType("2024-01-01T00:00:00Z"));
    patient.addGeneralPractitioner(new Reference("Practitioner/gp"));

    assertThat(reader.isPatientData("Patient")).isTrue();
    assertThat(reader.patients(patient)).containsExactly("Patient/p3");
    ResourceFacts facts = reader.facts(patient);
    assertThat(facts.reference()).isEqualTo("Patient/p3");
    assertThat(facts.versionId()).isEqualTo("2");
    assertThat(facts.dataDate()).as("meta.lastUpdated is not the data's date").isNull();
    assertThat(facts.references()).containsExactly("Practitioner/gp");
  }

  @Test
  void medicationRequest_medicationCodeAuthoredOnRequesterAndRecorder() {
    MedicationRequest request = new MedicationRequest();
    request.setId("MedicationRequest/m1/_history/1");
    request.setSubject(new Reference("Patient/p4"));
    request.setMedication(
        new CodeableConcept(
            new Coding("http://www.nlm.nih.gov/research/umls/rxnorm", "1049502", null)));
    request.setAuthoredOn(Date.from(EFFECTIVE));
    request.setRequester(new Reference("Practitioner/doc"));
    request.setRecorder(new Reference("PractitionerRole/nurse"));

    assertThat(reader.patients(request)).containsExactly("Patient/p4");
    ResourceFacts facts = reader.facts(request);
    assertThat(facts.codes())
        .containsExactly(Code.of("http://www.nlm.nih.gov/research/umls/rxnorm", "1049502"));
    assertThat(facts.dataDate()).isEqualTo(EFFECTIVE);
    assertThat(facts.authors())
        .containsExactlyInAnyOrder("Practitioner/doc", "PractitionerRole/nurse");
  }

  @Test
  void referenceData_andGroups_areNotPatientCompartmentTypes() {
    assertThat(reader.isPatientData("Practitioner")).isFalse();
    assertThat(reader.isPatientData("Organization")).isFalse();
    assertThat(reader.isPatientData("Binary")).isFalse();
    assertThat(reader.patients(new Practitioner())).isEmpty();
    assertThat(reader.isPatientData(FhirContext.forR4Cached().getResourceType(new Group())))
        .isTrue();
  }
}
