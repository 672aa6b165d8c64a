package io.github.dockerpulls.exporter.http;

import java.io.IOException;

/**
 * A body made while it is sent: {@link Http11Server} asks for the next part only when the client
 * has taken the last one, so a client that reads slowly, or not at all, holds its socket buffer and
 * one part, never the whole answer. The parts go out as HTTP/1.1 chunks.
 */
public interface BodySource extends AutoCloseable {
  /**
   * The next part of the body, or null at its end. Called on a worker thread, one call at a time.
   *
   * @throws IOException when the body cannot be made; the connection is then closed, and the client
   *     sees an answer that ended early
   */
  byte[] next() throws IOException;

  /** Releases what the body holds; called once, at its end or when the connection goes. */
  @Override
  void close();
}
