package io.github.dockerpulls.elasticsearch;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The sink's one Jackson mapper, for the JSON it reads and writes itself (the spool, the lookup of
 * earlier counts, error answers, the template's version), apart from the typed client's own. A
 * mapper is safe to share once configured, and each one builds its caches anew.
 */
final class Jackson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Jackson() {}
}
