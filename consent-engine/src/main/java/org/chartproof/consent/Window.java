package org.chartproof.consent;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A FHIR Period as a closed interval of instants, independent of the JVM's time zone.
 *
 * <p>A partial date covers its whole unit: a start of {@code 2015} means 2015-01-01T00:00Z, an end
 * of {@code 2015-02-01} means up to the last nanosecond of that day. Dates without a time zone are
 * read as UTC (FHIR leaves their zone open; a fixed choice keeps decisions reproducible). A missing
 * bound is open.
 *
 * @param from the first instant inside, or {@code null} for no start
 * @param to the last instant inside, or {@code null} for no end
 */
record Window(Instant from, Instant to) {

  Window {
    if (from != null && to != null && from.isAfter(to)) {
      throw new IllegalArgumentException("a period must not end before it starts");
    }
  }

  /** Parses FHIR date/dateTime strings (either may be {@code null}). */
  static Window of(String start, String end) {
    return new Window(start == null ? null : lower(start), end == null ? null : upper(end));
  }

  boolean contains(Instant t) {
    return (from == null || !t.isBefore(from)) && (to == null || !t.isAfter(to));
  }

  private static Instant lower(String value) {
    return switch (value.length()) {
      case 4 -> Year.parse(value).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
      case 7 -> YearMonth.parse(value).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
      case 10 -> LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
      default -> dateTime(value);
    };
  }

  private static Instant upper(String value) {
    Instant nextUnit =
        switch (value.length()) {
          case 4 ->
              Year.parse(value).plusYears(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
          case 7 ->
              YearMonth.parse(value)
                  .plusMonths(1)
                  .atDay(1)
                  .atStartOfDay()
                  .toInstant(ZoneOffset.UTC);
          case 10 -> LocalDate.parse(value).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
          default -> null;
        };
    return nextUnit == null ? dateTime(value) : nextUnit.minusNanos(1);
  }

  private static Instant dateTime(String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not a FHIR date or dateTime with a time zone", e);
    }
  }
}
