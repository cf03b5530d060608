package org.chartproof.consent;

/** The outcome of a consent decision. There is no third value: anything undecided is a DENY. */
public enum Verdict {
  PERMIT,
  DENY
}
