package io.github.dockerpulls.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dockerpulls.elasticsearch.ElasticsearchSink;
import io.github.dockerpulls.elasticsearch.SinkException;
import io.github.dockerpulls.history.HistoryException;
import io.github.dockerpulls.history.HistoryStore;
import io.github.dockerpulls.history.Retention;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The libraries name no flags: the command line adds the option that would help. */
class ErrorTextTest {
  @TempDir Path dir;

  @Test
  void aTlsFailureNamesTheOptionsThatTrustACa() {
    SinkException tls =
        new SinkException(
            SinkException.Kind.TLS, "TLS with https://es:9200 failed (PKIX); trust its CA", null);
    assertThat(ElasticsearchOptions.message(tls))
        .isEqualTo(
            "TLS with https://es:9200 failed (PKIX); trust its CA with --es-ca-cert or"
                + " --es-ca-fingerprint");
    SinkException other = new SinkException(SinkException.Kind.UNAVAILABLE, "cannot reach", null);
    assertThat(ElasticsearchOptions.message(other)).isEqualTo("cannot reach");
  }

  @Test
  void anUnwritableSpoolNamesTheOptionThatMovesIt() {
    String warning = ElasticsearchSink.SPOOL_UNWRITABLE + "/var/spool/x (permission denied): ...";
    assertThat(ElasticsearchOptions.warning(warning))
        .endsWith("with --spool-dir or DOCKERPULLS_SPOOL_DIR");
    assertThat(ElasticsearchOptions.warning("the pull count of a/b went down"))
        .isEqualTo("the pull count of a/b went down");
  }

  @Test
  void anUnusableHistoryNamesTheOptionThatChoosesAnother() throws Exception {
    Files.writeString(dir.resolve(HistoryStore.FILE_NAME), "not a database at all, clearly");
    try {
      HistoryStore.open(dir, Retention.DEFAULT, Clock.systemUTC()).close();
    } catch (HistoryException e) {
      assertThat(e.getMessage()).doesNotContain("--");
      assertThat(HistoryOptions.message(e)).endsWith("; or choose another --data-dir");
      return;
    }
    throw new AssertionError("a file that is not a database was opened");
  }
}
