package io.github.dockerpulls.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HistoryLocationTest {
  @Test
  void anSqliteLocationIsTheFileInTheDirectory() {
    HistoryLocation l = HistoryLocation.sqlite(Path.of("data"));
    assertThat(l.file()).contains(Path.of("data", HistoryStore.FILE_NAME));
    assertThat(l.shared()).isFalse();
    assertThat(l).hasToString(Path.of("data", HistoryStore.FILE_NAME).toString());
  }

  @Test
  void aPostgresqlUrlIsShownWithoutItsPassword() {
    HistoryLocation l =
        HistoryLocation.postgresql(
            "postgresql://alice:s3cret@db.example:6543/pulls?sslmode=verify-full", null);
    assertThat(l.shared()).isTrue();
    assertThat(l.file()).isEmpty();
    assertThat(l).hasToString("postgresql://db.example:6543/pulls?user=alice&sslmode=verify-full");
    assertThat(l.toString()).doesNotContain("s3cret");
    assertThat(HistoryLocation.postgresql("postgres://h/db?user=bob&password=x", "y").toString())
        .isEqualTo("postgresql://h:5432/db?user=bob");
    assertThat(HistoryLocation.isPostgresql(" PostgreSQL://h/db")).isTrue();
    assertThat(HistoryLocation.isPostgresql("/var/lib/dockerpulls")).isFalse();
  }

  @Test
  void aBadUrlIsOneLineThatSaysWhat() {
    assertThatThrownBy(() -> HistoryLocation.postgresql("mysql://h/db", null))
        .hasMessage(
            "the history URL must start with postgresql:// (postgresql://HOST[:PORT]/DATABASE)");
    assertThatThrownBy(() -> HistoryLocation.postgresql("postgresql://h/", null))
        .hasMessage("the history URL names no database: postgresql://h/DATABASE");
    assertThatThrownBy(() -> HistoryLocation.postgresql("postgresql:///db", null))
        .hasMessage("the history URL names no host: postgresql://HOST/DB");
    assertThatThrownBy(() -> HistoryLocation.postgresql("postgresql://h/db?sslmode=maybe", null))
        .hasMessageStartingWith("the history URL's sslmode 'maybe' is none of disable, allow");
    assertThatThrownBy(() -> HistoryLocation.postgresql("postgresql://h/db?pool=9", null))
        .hasMessageStartingWith("the history URL has an unknown parameter 'pool'");
    assertThatThrownBy(() -> HistoryLocation.postgresql("postgresql://u:secret@h/db?pool=9", "pw"))
        .hasMessageNotContaining("secret");
  }
}
