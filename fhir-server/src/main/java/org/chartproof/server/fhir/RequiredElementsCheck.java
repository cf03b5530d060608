package org.chartproof.server.fhir;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * Refuses to store a resource that lacks an element FHIR R4 declares mandatory (minimum cardinality
 * 1), such as an Observation without {@code status}: 422 Unprocessable Entity with one
 * OperationOutcome issue per missing element, naming its path.
 *
 * <p>Mandatory elements inside an optional element are only required when that element is present.
 * The check walks HAPI's model definitions, so it costs microseconds per resource; it is not a full
 * profile validation (no invariants, no terminology bindings).
 */
@Interceptor
final class RequiredElementsCheck {

  private final FhirContext fhirContext;

  RequiredElementsCheck(FhirContext fhirContext) {
    this.fhirContext = fhirContext;
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
  public void beforeCreate(IBaseResource resource) {
    check(resource);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
  public void beforeUpdate(IBaseResource oldResource, IBaseResource newResource) {
    check(newResource);
  }

  /**
   * @throws UnprocessableEntityException naming every missing mandatory element
   */
  void check(IBaseResource resource) {
    List<String> missing = missingElements(resource);
    if (missing.isEmpty()) {
      return;
    }
    OperationOutcome outcome = new OperationOutcome();
    for (String path : missing) {
      outcome
          .addIssue()
          .setSeverity(IssueSeverity.ERROR)
          .setCode(IssueType.REQUIRED)
          .setDiagnostics("Missing mandatory element " + path)
          .addExpression(path);
    }
    throw new UnprocessableEntityException(
        "%s is missing mandatory elements: %s"
            .formatted(fhirContext.getResourceType(resource), String.join(", ", missing)),
        outcome);
  }

  /** Paths (FHIRPath-like, e.g. {@code Observation.component[1].code}) of missing elements. */
  List<String> missingElements(IBaseResource resource) {
    List<String> missing = new ArrayList<>();
    BaseRuntimeElementCompositeDefinition<?> definition =
        fhirContext.getResourceDefinition(resource);
    walk(definition, resource, definition.getName(), missing);
    return missing;
  }

  private void walk(
      BaseRuntimeElementCompositeDefinition<?> definition,
      IBase element,
      String path,
      List<String> missing) {
    for (BaseRuntimeChildDefinition child : definition.getChildren()) {
      List<IBase> values = child.getAccessor().getValues(element);
      String childPath = path + "." + child.getElementName().replace("[x]", "");
      if (child.getMin() > 0 && values.stream().allMatch(IBase::isEmpty)) {
        missing.add(childPath);
      }
      for (int i = 0; i < values.size(); i++) {
        IBase value = values.get(i);
        BaseRuntimeElementDefinition<?> valueDefinition = definitionOf(child, value);
        if (valueDefinition instanceof BaseRuntimeElementCompositeDefinition<?> composite
            && !value.isEmpty()) {
          String indexed = child.getMax() == 1 ? childPath : childPath + "[" + i + "]";
          walk(composite, value, indexed, missing);
        }
      }
    }
  }

  private BaseRuntimeElementDefinition<?> definitionOf(
      BaseRuntimeChildDefinition child, IBase value) {
    if (value instanceof IBaseResource contained) {
      return fhirContext.getResourceDefinition(contained);
    }
    return child.getChildElementDefinitionByDatatype(value.getClass());
  }
}
