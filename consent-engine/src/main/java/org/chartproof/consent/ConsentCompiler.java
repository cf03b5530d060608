package org.chartproof.consent;

import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Consent.ConsentProvisionType;
import org.hl7.fhir.r4.model.Consent.ProvisionComponent;
import org.hl7.fhir.r4.model.Consent.provisionActorComponent;
import org.hl7.fhir.r4.model.Consent.provisionDataComponent;
import org.hl7.fhir.r4.model.Period;

/**
 * Compiles an R4 {@link Consent} into a {@link CompiledConsent}
 * (https://hl7.org/fhir/R4/consent.html).
 *
 * <p>The base policy comes from Consent.policyRule: v3-ActCode OPTIN and OPTINR (the patient
 * assents) permit, OPTOUT and OPTOUTE (the patient dissents) deny; any other or no policyRule takes
 * the deployment's default. R4 defines the root provision as "an exception to the base policy"
 * whose type is "not permitted in root rule": the root therefore takes the type opposite to the
 * base. An explicit root type is honoured. Nested provisions need a type; one without inherits its
 * parent's, which makes it a refinement that cannot change the verdict.
 *
 * <p>A Consent is invalid (and denies when it applies) if it has no id, carries a modifierExtension
 * anywhere, or has an actor without role or reference, a data entry without meaning or reference,
 * or a period that is not a valid FHIR date/dateTime interval.
 */
final class ConsentCompiler {

  private static final String CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope";

  private final Policy policy;

  ConsentCompiler(Policy policy) {
    this.policy = policy;
  }

  CompiledConsent compile(Consent consent) {
    String id = consent.getIdElement().getIdPart();
    String version = consent.hasMeta() ? consent.getMeta().getVersionId() : null;
    if (version == null) {
      version = consent.getIdElement().getVersionIdPart();
    }
    String reference =
        id == null
            ? "Consent/?"
            : "Consent/" + id + (version == null ? "" : "/_history/" + version);
    boolean active = consent.getStatus() == Consent.ConsentState.ACTIVE && isPrivacy(consent);
    String patient =
        consent.hasPatient() ? References.normalise(consent.getPatient().getReference()) : null;
    Verdict base = consent.hasPolicyRule() ? base(consent.getPolicyRule()) : defaultBase();
    Provision.Outcome baseOutcome =
        new Provision.Outcome(base, new Reason(ReasonKind.BASE_POLICY, reference, "policyRule"));
    Window validity = null;
    try {
      validity = validity(consent);
    } catch (IllegalArgumentException | DateTimeException e) {
      return new CompiledConsent(reference, policy, active, patient, null, baseOutcome, null, true);
    }
    try {
      if (id == null || consent.hasModifierExtension()) {
        throw new Invalid();
      }
      Provision root = null;
      if (consent.hasProvision()) {
        ProvisionComponent p = consent.getProvision();
        Verdict rootType = p.hasType() ? type(p.getType()) : opposite(base);
        root = provision(p, rootType, reference, "provision");
      }
      return new CompiledConsent(
          reference, policy, active, patient, validity, baseOutcome, root, false);
    } catch (Invalid | IllegalArgumentException | DateTimeException e) {
      // an invalid Consent still expires: outside its period it denies nothing
      return new CompiledConsent(
          reference, policy, active, patient, validity, baseOutcome, null, true);
    }
  }

  /** The root provision's period: when the Consent is in force ({@code null}: always). */
  private static Window validity(Consent consent) {
    return consent.hasProvision() && consent.getProvision().hasPeriod()
        ? window(consent.getProvision().getPeriod())
        : null;
  }

  private Provision provision(ProvisionComponent p, Verdict type, String consent, String path) {
    if (p.hasModifierExtension()) {
      throw new Invalid();
    }
    List<Provision> children = new ArrayList<>();
    List<ProvisionComponent> nested = p.getProvision();
    for (int i = 0; i < nested.size(); i++) {
      ProvisionComponent child = nested.get(i);
      Verdict childType = child.hasType() ? type(child.getType()) : type;
      children.add(provision(child, childType, consent, path + ".provision[" + i + "]"));
    }
    Set<String> resourceTypes = new HashSet<>();
    Set<Code> classes = new HashSet<>();
    for (Coding c : p.getClass_()) {
      if (c.getSystem() == null || Code.RESOURCE_TYPES.equals(c.getSystem())) {
        resourceTypes.add(c.getCode());
      } else {
        classes.add(code(c));
      }
    }
    Set<Code> codes = new HashSet<>();
    p.getCode().forEach(cc -> cc.getCoding().forEach(c -> codes.add(code(c))));
    Set<Code> labels = new HashSet<>();
    p.getSecurityLabel().forEach(c -> labels.add(code(c)));
    return new Provision(
        type,
        new Reason(ReasonKind.PROVISION, consent, path),
        p.hasPeriod() ? window(p.getPeriod()) : null,
        actors(p.getActor()),
        actions(p.getAction()),
        labels.isEmpty() ? null : new SecurityLabels(labels),
        keys(p.getPurpose(), Code.ACT_REASON),
        resourceTypes,
        classes,
        codes,
        p.hasDataPeriod() ? window(p.getDataPeriod()) : null,
        data(p.getData()),
        children);
  }

  private static List<Actor> actors(List<provisionActorComponent> actors) {
    List<Actor> out = new ArrayList<>();
    for (provisionActorComponent a : actors) {
      if (a.hasModifierExtension()
          || !a.hasReference()
          || !a.hasRole()
          || !a.getRole().hasCoding()) {
        throw new Invalid();
      }
      String ref = References.normalise(a.getReference().getReference());
      if (ref == null) {
        throw new Invalid();
      }
      out.add(new Actor(ref, code(a.getRole().getCoding().get(0))));
    }
    return out;
  }

  private static Set<String> actions(List<CodeableConcept> actions) {
    Set<String> out = new HashSet<>();
    for (CodeableConcept action : actions) {
      out.addAll(keys(action.getCoding(), Code.CONSENT_ACTION));
    }
    return out;
  }

  private static List<DataRef> data(List<provisionDataComponent> data) {
    List<DataRef> out = new ArrayList<>();
    for (provisionDataComponent d : data) {
      String raw = d.hasReference() ? d.getReference().getReference() : null;
      String ref = References.normalise(raw);
      if (d.hasModifierExtension() || ref == null || !d.hasMeaning()) {
        throw new Invalid();
      }
      DataRef.Meaning meaning =
          switch (d.getMeaning()) {
            case INSTANCE -> DataRef.Meaning.INSTANCE;
            case RELATED -> DataRef.Meaning.RELATED;
            case DEPENDENTS -> DataRef.Meaning.DEPENDENTS;
            case AUTHOREDBY -> DataRef.Meaning.AUTHOREDBY;
            default -> throw new Invalid();
          };
      out.add(new DataRef(meaning, ref, References.version(raw)));
    }
    return out;
  }

  /**
   * Codes of the expected system (or without a system) as their bare code; codes of another system
   * as {@code system|code}, which no request value equals: an unknown code narrows, never widens.
   */
  private static Set<String> keys(List<Coding> codings, String system) {
    Set<String> out = new HashSet<>();
    for (Coding c : codings) {
      if (!c.hasCode()) {
        throw new Invalid();
      }
      boolean ours = c.getSystem() == null || system.equals(c.getSystem());
      out.add(ours ? c.getCode() : c.getSystem() + "|" + c.getCode());
    }
    return out;
  }

  private static Code code(Coding c) {
    if (!c.hasCode()) {
      throw new Invalid();
    }
    return new Code(c.getSystem(), c.getCode());
  }

  private static Window window(Period period) {
    if (!period.hasStart() && !period.hasEnd()) {
      return null;
    }
    return Window.of(
        period.hasStart() ? period.getStartElement().getValueAsString() : null,
        period.hasEnd() ? period.getEndElement().getValueAsString() : null);
  }

  private Verdict base(CodeableConcept policyRule) {
    for (Coding c : policyRule.getCoding()) {
      if (c.getSystem() == null || Code.ACT_CODE.equals(c.getSystem())) {
        switch (String.valueOf(c.getCode())) {
          case "OPTIN", "OPTINR":
            return Verdict.PERMIT;
          case "OPTOUT", "OPTOUTE":
            return Verdict.DENY;
          default:
            break;
        }
      }
    }
    return defaultBase();
  }

  private Verdict defaultBase() {
    return policy.defaultBase().verdict();
  }

  private static boolean isPrivacy(Consent consent) {
    if (!consent.hasScope()) {
      return false;
    }
    for (Coding c : consent.getScope().getCoding()) {
      if ("patient-privacy".equals(c.getCode())
          && (c.getSystem() == null || CONSENT_SCOPE.equals(c.getSystem()))) {
        return true;
      }
    }
    return false;
  }

  private static Verdict type(ConsentProvisionType type) {
    return switch (type) {
      case PERMIT -> Verdict.PERMIT;
      default -> Verdict.DENY;
    };
  }

  private static Verdict opposite(Verdict verdict) {
    return verdict == Verdict.PERMIT ? Verdict.DENY : Verdict.PERMIT;
  }

  /** Thrown while compiling a Consent the engine cannot understand; carries no content. */
  private static final class Invalid extends RuntimeException {
    Invalid() {
      super("invalid consent", null, false, false);
    }
  }
}
