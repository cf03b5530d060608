package org.chartproof.server.consent;

import java.io.IOException;
import java.io.Writer;

/**
 * Holds a response body back until its access is recorded: HAPI encodes the response into this
 * writer while the access log commits the request's decisions, and only when HAPI closes it does
 * the body go out, once {@link Release#awaitRecorded} has returned. Nothing reaches the servlet
 * response before then (flushes are held too), so a response whose access could not be recorded has
 * sent nothing yet and is replaced by an error ({@link Release#failed}).
 *
 * <p>The body is held in memory, which a response that HAPI renders as a whole is anyway until it
 * is encoded; a search's pages are bounded by the paging limits.
 */
final class HeldResponseWriter extends Writer {

  /** What the writer waits for before the body goes out, and what it does if it never may. */
  interface Release {
    /**
     * Returns once the request's access is recorded.
     *
     * @throws RuntimeException if it could not be
     */
    void awaitRecorded();

    /** Answers with an error instead of the held body, which is dropped. */
    void failed() throws IOException;
  }

  private final Writer out;
  private final Release release;
  private final StringBuilder held = new StringBuilder(4096);
  private boolean closed;

  HeldResponseWriter(Writer out, Release release) {
    this.out = out;
    this.release = release;
  }

  @Override
  public void write(char[] chars, int offset, int length) throws IOException {
    ensureOpen();
    held.append(chars, offset, length);
  }

  @Override
  public void write(String text, int offset, int length) throws IOException {
    ensureOpen();
    held.append(text, offset, offset + length);
  }

  @Override
  public void write(int c) throws IOException {
    ensureOpen();
    held.append((char) c);
  }

  /** Held: a flush would send the first part of the body before the access is recorded. */
  @Override
  public void flush() throws IOException {
    ensureOpen();
  }

  /** Waits until the access is recorded, then sends the body; or answers with an error. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      release.awaitRecorded();
    } catch (RuntimeException e) {
      held.setLength(0);
      release.failed();
      return;
    }
    try (out) {
      out.append(held);
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("the response was already sent");
    }
  }
}
