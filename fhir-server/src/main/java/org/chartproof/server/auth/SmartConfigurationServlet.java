package org.chartproof.server.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /fhir/.well-known/smart-configuration}: SMART App Launch discovery, public. Mapped as
 * an exact servlet path, which the Servlet specification ranks above the FHIR servlet's {@code
 * /fhir/*}.
 */
final class SmartConfigurationServlet extends HttpServlet {

  static final String PATH = AuthConfig.FHIR_PATH + "/.well-known/smart-configuration";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final SmartDiscovery discovery;

  SmartConfigurationServlet(SmartDiscovery discovery) {
    this.discovery = discovery;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-store");
    JSON.writeValue(response.getOutputStream(), discovery.configuration());
  }
}
