package org.chartproof.server.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sends a logged-in user who is not a patient, authorizing an app that asks for {@code
 * launch/patient} without a {@code launch} context, to the {@link PatientPicker} first. Patients
 * launch for themselves and pass straight through.
 */
final class PatientPickerRedirect extends OncePerRequestFilter {

  private final UserAccounts users;

  PatientPickerRedirect(UserAccounts users) {
    this.users = users;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String scope = request.getParameter("scope");
    return !"GET".equals(request.getMethod())
        || !"/oauth2/authorize".equals(request.getServletPath())
        || scope == null
        || Arrays.stream(scope.split(" ")).noneMatch("launch/patient"::equals)
        || request.getParameter("launch") != null;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Authentication user = SecurityContextHolder.getContext().getAuthentication();
    boolean practitionerOrRelated =
        UserAccounts.loggedIn(user)
            && users
                .find(user.getName())
                .filter(u -> UserAccounts.patientOf(u) == null)
                .isPresent();
    if (!practitionerOrRelated) {
      chain.doFilter(request, response); // not logged in yet, or a patient
      return;
    }
    response.sendRedirect(
        request.getContextPath()
            + PatientPicker.PATH
            + "?authorize="
            + URLEncoder.encode(request.getQueryString(), StandardCharsets.UTF_8));
  }
}
