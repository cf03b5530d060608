package org.chartproof.consent;

import java.util.Objects;

/**
 * A coded value (a FHIR {@code Coding} reduced to what the rules compare): system and code. Two
 * codes are equal when both system and code are equal; a {@code null} system means "no system
 * given" and only equals another {@code null} system.
 *
 * @param system the code system URI, or {@code null}
 * @param code the code, never blank
 */
public record Code(String system, String code) {

  /** v3 Confidentiality, the security labels U, L, M, N, R, V. */
  public static final String CONFIDENTIALITY =
      "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";

  /** v3 ActCode: sensitivity labels (PSY, HIV, ...) and the OPTIN/OPTOUT policy rules. */
  public static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

  /** v3 ActReason: purposes of use (TREAT, ETREAT, HPAYMT, HRESCH, ...). */
  public static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

  /** v3 ParticipationType: actor roles in Consent.provision.actor.role (PRCP, AUT, CST, ...). */
  public static final String PARTICIPATION_TYPE =
      "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";

  /** Consent actions: collect, access, use, disclose, correct. */
  public static final String CONSENT_ACTION = "http://terminology.hl7.org/CodeSystem/consentaction";

  /** FHIR resource types, the usual system of Consent.provision.class. */
  public static final String RESOURCE_TYPES = "http://hl7.org/fhir/resource-types";

  /** Validates the code. */
  public Code {
    Objects.requireNonNull(code, "code");
    if (code.isBlank()) {
      throw new IllegalArgumentException("a code must not be blank");
    }
    if (system != null && system.isBlank()) {
      system = null;
    }
  }

  /** A code of the given system. */
  public static Code of(String system, String code) {
    return new Code(system, code);
  }

  @Override
  public String toString() {
    return system == null ? code : system + "|" + code;
  }
}
