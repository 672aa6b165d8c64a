package io.github.dockerpulls.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"library", "camunda", "bitnami", "my-org", "my_org", "ab", "a1-b2_c3"})
  void validNamespacesAreReturnedUnchanged(String name) {
    assertThat(Names.requireNamespace(name)).isSameAs(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"httpd", "camunda-bpm-platform", "a.b", "a__b", "x", "zeebe", "a-b.c_d"})
  void validRepositoryNamesAreReturnedUnchanged(String name) {
    assertThat(Names.requireRepository(name)).isSameAs(name);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''                               | it is empty",
        "x                                | at least 2 characters",
        "abcdefghijklmnopqrstuvwxyz012345 | it is 32 characters long, Docker Hub allows at most 30",
        "cam unda                         | white space",
        "a/b                              | contains '/'",
        "cam%2Funda                       | URL character",
        "cam?unda                         | URL character",
        "cam#unda                         | URL character",
        "Camunda                          | upper case",
        "-camunda                         | start or end with '-'",
        "camunda-                         | start or end with '-'",
        "cam--unda                        | single '-' or '_'",
        "cam.unda                         | single '-' or '_'",
      })
  void invalidNamespacesSayWhy(String name, String reason) {
    assertThatThrownBy(() -> Names.requireNamespace(name))
        .isInstanceOf(HubException.InvalidName.class)
        .hasMessageStartingWith("invalid namespace '" + name + "': ")
        .hasMessageContaining(reason);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "..     | '..' is not allowed",
        "a..b   | '..' is not allowed",
        "a/b    | contains '/'",
        "x%2F.. | URL character",
        "a b    | white space",
        "HTTPD  | upper case",
        "-httpd | start or end with '-'",
        "httpd- | start or end with '-'",
        ".httpd | with '.', '_' or '-' between them",
      })
  void invalidRepositoryNamesSayWhy(String name, String reason) {
    assertThatThrownBy(() -> Names.requireRepository(name))
        .isInstanceOf(HubException.InvalidName.class)
        .hasMessageStartingWith("invalid repository name '" + name + "': ")
        .hasMessageContaining(reason);
  }

  @Test
  void aRepositoryNameMayBeLongerThanANamespaceButNotUnbounded() {
    assertThat(Names.requireRepository("a".repeat(Names.REPOSITORY_MAX_LENGTH)))
        .hasSize(Names.REPOSITORY_MAX_LENGTH);
    assertThatThrownBy(() -> Names.requireRepository("a".repeat(Names.REPOSITORY_MAX_LENGTH + 1)))
        .hasMessageContaining("at most " + Names.REPOSITORY_MAX_LENGTH);
  }

  @Test
  void controlCharactersAndLongValuesAreNotEchoedVerbatim() {
    assertThatThrownBy(() -> Names.requireNamespace("ab\u001b[31m"))
        .hasMessageStartingWith("invalid namespace 'ab?[31m'");
    String long_ = "A".repeat(500);
    assertThatThrownBy(() -> Names.requireRepository(long_))
        .hasMessageStartingWith("invalid repository name '" + "A".repeat(80) + "...'");
  }

  @Test
  void nullIsRefusedLikeAnEmptyName() {
    assertThatThrownBy(() -> Names.requireNamespace(null))
        .isInstanceOf(HubException.InvalidName.class)
        .hasMessage("invalid namespace (none): it is empty");
  }

  @Test
  void theOnePassCheckAgreesWithTheRulesOnEveryShortName() {
    // Every string of up to 6 of these characters: the one-pass check accepts exactly what the
    // rules' regular expressions and lengths accept.
    char[] alphabet = {'a', '0', '-', '_', '.', 'A', '/', ' '};
    java.util.regex.Pattern namespace =
        java.util.regex.Pattern.compile("[a-z0-9]+(?:[-_][a-z0-9]+)*");
    java.util.regex.Pattern repository =
        java.util.regex.Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    int checked = 0;
    java.util.List<String> level = java.util.List.of("");
    for (int length = 0; length <= 6; length++) {
      java.util.List<String> next = new java.util.ArrayList<>();
      for (String s : level) {
        boolean ns = s.length() >= 2 && namespace.matcher(s).matches();
        boolean repo = !s.isEmpty() && repository.matcher(s).matches();
        assertThat(Names.plain(s, 2, Names.NAMESPACE_MAX_LENGTH, false))
            .as("namespace '%s'", s)
            .isEqualTo(ns);
        assertThat(Names.plain(s, 1, Names.REPOSITORY_MAX_LENGTH, true))
            .as("repository '%s'", s)
            .isEqualTo(repo);
        checked++;
        for (char c : alphabet) {
          next.add(s + c);
        }
      }
      level = next;
    }
    assertThat(checked).isEqualTo(299_593);
    assertThat(Names.plain("a".repeat(30), 2, 30, false)).isTrue();
    assertThat(Names.plain("a".repeat(31), 2, 30, false)).isFalse();
    assertThat(Names.plain(null, 1, 255, true)).isFalse();
  }
}
