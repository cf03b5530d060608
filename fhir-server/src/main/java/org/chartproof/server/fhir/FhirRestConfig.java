package org.chartproof.server.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.rest.openapi.OpenApiInterceptor;
import ca.uhn.fhir.rest.server.HardcodedServerAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.ResponseHighlighterInterceptor;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The FHIR R4 REST endpoint at {@code /fhir}: HAPI's {@link RestfulServer} with the JPA resource
 * providers, and the checks that turn bad input into an OperationOutcome with the right status.
 */
@Configuration
@EnableConfigurationProperties(FhirProperties.class)
public class FhirRestConfig {

  static final String FHIR_PATH = "/fhir";

  @Bean
  public RestfulServer restfulServer(
      IFhirSystemDao<?, ?> systemDao,
      ResourceProviderFactory resourceProviders,
      IJpaSystemProvider systemProvider,
      DatabaseBackedPagingProvider pagingProvider,
      JpaStorageSettings storageSettings,
      ISearchParamRegistry searchParamRegistry,
      IValidationSupport validationSupport,
      FhirProperties properties) {
    FhirContext fhirContext = systemDao.getContext();
    if (properties.rejectUnknownElements()) {
      fhirContext.setParserErrorHandler(new StrictErrorHandler());
    }
    RestfulServer server = new RestfulServer(fhirContext);
    server.registerProviders(resourceProviders.createProviders());
    server.registerProvider(systemProvider);
    JpaCapabilityStatementProvider capabilityStatement =
        new JpaCapabilityStatementProvider(
            server, systemDao, storageSettings, searchParamRegistry, validationSupport);
    capabilityStatement.setImplementationDescription("Chartproof FHIR R4 server");
    server.setServerConformanceProvider(capabilityStatement);
    pagingProvider.setDefaultPageSize(properties.defaultPageSize());
    pagingProvider.setMaximumPageSize(properties.maxPageSize());
    server.setPagingProvider(pagingProvider);
    server.setDefaultPrettyPrint(properties.defaultPrettyPrint());
    if (properties.serverAddress() != null) {
      server.setServerAddressStrategy(
          new HardcodedServerAddressStrategy(properties.serverAddress()));
    }
    server.registerInterceptor(new ResponseHighlighterInterceptor());
    server.registerInterceptor(new FhirStatusCodes());
    server.registerInterceptor(new IfMatchOnDelete());
    server.registerInterceptor(new VersionedMetaOnly());
    if (properties.openapi()) {
      server.registerInterceptor(new OpenApiInterceptor());
    }
    return server;
  }

  /**
   * Registered on HAPI's JPA interceptor service, not only on the REST server, so that resources
   * written inside transaction bundles and by internal callers are checked too.
   */
  @Bean
  public RequiredElementsCheck requiredElementsCheck(
      FhirContext fhirContext, IInterceptorService jpaInterceptors) {
    RequiredElementsCheck check = new RequiredElementsCheck(fhirContext);
    jpaInterceptors.registerInterceptor(check);
    return check;
  }

  @Bean
  public ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer server) {
    ServletRegistrationBean<RestfulServer> registration =
        new ServletRegistrationBean<>(server, FHIR_PATH + "/*");
    registration.setLoadOnStartup(1);
    return registration;
  }

  @Bean
  public FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(
      FhirContext fhirContext, FhirProperties properties) {
    FilterRegistrationBean<RequestBodyLimitFilter> registration =
        new FilterRegistrationBean<>(
            new RequestBodyLimitFilter(fhirContext, properties.maxRequestBodySize().toBytes()));
    registration.addUrlPatterns(FHIR_PATH + "/*");
    return registration;
  }
}
