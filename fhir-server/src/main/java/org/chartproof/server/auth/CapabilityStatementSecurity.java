package org.chartproof.server.auth;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestSecurityComponent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;

/** Declares SMART on FHIR in the CapabilityStatement: the security service and OAuth URIs. */
@Interceptor
final class CapabilityStatementSecurity {

  static final String OAUTH_URIS =
      "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";

  private final SmartDiscovery discovery;

  CapabilityStatementSecurity(SmartDiscovery discovery) {
    this.discovery = discovery;
  }

  @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
  public void generated(IBaseConformance statement) {
    String tokenUrl = discovery.tokenUrl();
    for (CapabilityStatement.CapabilityStatementRestComponent rest :
        ((CapabilityStatement) statement).getRest()) {
      CapabilityStatementRestSecurityComponent security = rest.getSecurity();
      security.setCors(true);
      CodeableConcept service = new CodeableConcept().setText("OAuth2 using SMART on FHIR");
      service
          .addCoding()
          .setSystem("http://terminology.hl7.org/CodeSystem/restful-security-service")
          .setCode("SMART-on-FHIR");
      security.addService(service);
      Extension uris = security.addExtension().setUrl(OAUTH_URIS);
      uris.addExtension("token", new UriType(tokenUrl));
      if (discovery.authorizeUrl() != null) {
        uris.addExtension("authorize", new UriType(discovery.authorizeUrl()));
      }
      security.setDescription(
          "SMART on FHIR: send Authorization: Bearer with a token from " + tokenUrl);
    }
  }
}
