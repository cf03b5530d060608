package org.chartproof.server.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The patient picker of a standalone launch: a practitioner (or a related person) who authorizes an
 * app asking for {@code launch/patient} is sent here first ({@link PatientPickerRedirect}), chooses
 * a patient, and goes back to the authorize request with a launch context for that patient, bound
 * to them. Practitioners may choose any patient (what they may then read is up to the token's
 * scopes and, later, the patient's consents); a related person only the patient they are related
 * to.
 */
@RestController
final class PatientPicker {

  static final String PATH = "/launch/patient";

  private final Patients patients;
  private final UserAccounts users;
  private final LaunchContexts launches;

  PatientPicker(Patients patients, UserAccounts users, LaunchContexts launches) {
    this.patients = patients;
    this.users = users;
    this.launches = launches;
  }

  /** The picker: a name search and the matching patients, each a button. */
  @GetMapping(path = PATH, produces = MediaType.TEXT_HTML_VALUE)
  ResponseEntity<String> page(
      HttpServletRequest request,
      Principal principal,
      @RequestParam(name = "authorize") String authorize,
      @RequestParam(name = "name", required = false) String name) {
    AuthProperties.User user = users.find(principal.getName()).orElse(null);
    if (user == null || !authorizeQuery(authorize)) {
      return ResponseEntity.badRequest().contentType(MediaType.TEXT_PLAIN).body("bad request");
    }
    CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Choose a patient")
        .append("</title></head><body><h1>Choose the patient for this app</h1>")
        .append("<form method=\"get\" action=\"")
        .append(PATH)
        .append("\"><input type=\"hidden\" name=\"authorize\" value=\"")
        .append(escape(authorize))
        .append("\"><input name=\"name\" placeholder=\"Name\" value=\"")
        .append(escape(name == null ? "" : name))
        .append("\"><button>Search</button></form><ul>");
    for (Patient patient : choices(user, name)) {
      html.append("<li><form method=\"post\" action=\"")
          .append(PATH)
          .append("\"><input type=\"hidden\" name=\"")
          .append(escape(csrf.getParameterName()))
          .append("\" value=\"")
          .append(escape(csrf.getToken()))
          .append("\"><input type=\"hidden\" name=\"authorize\" value=\"")
          .append(escape(authorize))
          .append("\"><input type=\"hidden\" name=\"patient\" value=\"")
          .append(escape(patient.getIdElement().getIdPart()))
          .append("\"><button>")
          .append(escape(label(patient)))
          .append("</button></form></li>");
    }
    html.append("</ul></body></html>");
    return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(html.toString());
  }

  /** A patient chosen: back to the authorize request, now with a launch context. */
  @PostMapping(PATH)
  ResponseEntity<String> choose(
      Principal principal,
      @RequestParam(name = "authorize") String authorize,
      @RequestParam(name = "patient") String patient) {
    AuthProperties.User user = users.find(principal.getName()).orElse(null);
    if (user == null || !authorizeQuery(authorize) || !mayChoose(user, patient)) {
      return ResponseEntity.status(HttpStatus.FORBIDDEN)
          .contentType(MediaType.TEXT_PLAIN)
          .body("this patient cannot be chosen");
    }
    String launch = launches.create(patient, user.username());
    // only ever back to this server's authorize endpoint, whatever the form carried
    URI back =
        UriComponentsBuilder.fromPath("/oauth2/authorize")
            .query(authorize)
            .queryParam("launch", launch)
            .build(true)
            .toUri();
    return ResponseEntity.status(HttpStatus.FOUND).location(back).build();
  }

  private List<Patient> choices(AuthProperties.User user, String name) {
    if (user.fhirUser().startsWith("RelatedPerson/")) {
      return patients.relatedTo(user.fhirUser()).flatMap(patients::find).stream().toList();
    }
    return patients.byName(name);
  }

  /** Whether {@code user} may open an app for {@code patient}. */
  private boolean mayChoose(AuthProperties.User user, String patient) {
    if (patients.find(patient).isEmpty()) {
      return false;
    }
    String fhirUser = user.fhirUser();
    if (fhirUser.startsWith("Practitioner/") || fhirUser.startsWith("Person/")) {
      return true;
    }
    if (fhirUser.startsWith("RelatedPerson/")) {
      return patients.relatedTo(fhirUser).map(patient::equals).orElse(false);
    }
    return false; // a patient launches for themselves and never comes here
  }

  /** The authorize request's query as the redirect filter passed it: encoded, no launch yet. */
  private static boolean authorizeQuery(String query) {
    if (query.length() > 4096 || query.contains("#")) {
      return false;
    }
    try {
      return UriComponentsBuilder.fromUriString("/?" + query)
              .build(true)
              .getQueryParams()
              .get("launch")
          == null;
    } catch (IllegalArgumentException notEncoded) {
      return false;
    }
  }

  private static String label(Patient patient) {
    String name =
        patient.getName().isEmpty()
            ? "(no name)"
            : Optional.ofNullable(patient.getNameFirstRep().getNameAsSingleString())
                .orElse("(no name)");
    return name
        + (patient.hasBirthDate()
            ? ", born " + patient.getBirthDateElement().getValueAsString()
            : "")
        + " (Patient/"
        + patient.getIdElement().getIdPart()
        + ")";
  }

  private static String escape(String text) {
    return HtmlUtils.htmlEscape(text);
  }
}
