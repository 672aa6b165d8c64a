package io.github.dockerpulls.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class IndexSetupTest {
  /**
   * A cluster that has our template of the same version keeps it, so a change to the template must
   * raise its version. Change the file, raise "version", then put the new hash here.
   */
  @Test
  void theTemplateChangesOnlyWithItsVersion() throws Exception {
    String sha256 =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(
                        IndexSetup.templateJson()
                            .replace("\r\n", "\n")
                            .getBytes(StandardCharsets.UTF_8)));
    assertThat(IndexSetup.VERSION).isEqualTo(1);
    assertThat(sha256)
        .as("index-template.json changed: raise its \"version\", then update this test")
        .isEqualTo("c4b566fa8c9d3834480e0edfd37c12ee8f05a32e1317d6a3cd37a8beac4595fe");
  }
}
