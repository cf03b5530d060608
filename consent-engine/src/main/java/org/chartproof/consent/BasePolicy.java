package org.chartproof.consent;

/**
 * A deployment's base policy: what holds where no Consent of the patient says otherwise.
 *
 * <ul>
 *   <li>{@link #OPT_IN}: express consent. Nothing is shared until the patient consents: no
 *       applicable consent means DENY.
 *   <li>{@link #OPT_OUT}: implied consent. Sharing is allowed until the patient withholds it: no
 *       applicable consent means PERMIT.
 * </ul>
 */
public enum BasePolicy {
  OPT_IN,
  OPT_OUT;

  /** The verdict of this base policy where no provision decides. */
  public Verdict verdict() {
    return this == OPT_OUT ? Verdict.PERMIT : Verdict.DENY;
  }
}
