package io.github.dockerpulls.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryJsonTest {
  private static final Instant D1 = Instant.parse("2026-12-01T00:00:00Z");
  private static final Instant D2 = Instant.parse("2026-12-02T00:00:00Z");
  private static final Instant D3 = Instant.parse("2026-12-03T00:00:00Z");

  private static RepositoryHistory repo(String name, Long... perDay) {
    Instant[] starts = {D1, D2, D3};
    List<Period> series =
        Arrays.asList(
            new Period(D1, D2, perDay[0]),
            new Period(D2, D3, perDay[1]),
            new Period(D3, starts[2].plusSeconds(86_400), perDay[2]));
    return new RepositoryHistory("camunda", name, 1_000, D3, 30L, null, series);
  }

  private static HistoryReport report(RepositoryHistory... repos) {
    return new HistoryReport(
        D1, D3.plusSeconds(3600), Granularity.DAY, ZoneOffset.UTC, List.of(repos));
  }

  @Test
  void totalsAddWhatIsKnownAndStayNullWhereNothingIs() {
    HistoryReport r = report(repo("zeebe", null, 5L, null), repo("operate", null, 7L, 2L));
    assertThat(HistoryJson.totals(r)).extracting(Period::pulls).containsExactly(null, 12L, 2L);
  }

  @Test
  void theTotalsShapeHasNoSeriesPerRepository() {
    String json = HistoryJson.renderTotals(report(repo("zeebe", 1L, 2L, 3L)));
    assertThat(json)
        .startsWith("{\"since\":\"2026-12-01T00:00:00Z\",")
        .contains(
            "\"total\":[{\"start\":\"2026-12-01T00:00:00Z\",\"end\":\"2026-12-02T00:00:00Z\",\"pulls\":1},")
        .contains(
            "\"repositories\":[{\"namespace\":\"camunda\",\"name\":\"zeebe\",\"pull_count\":1000,"
                + "\"observed_at\":\"2026-12-03T00:00:00Z\",\"pulls\":30,\"previous_pulls\":null,"
                + "\"covered_from\":null,\"coverage\":1}]")
        .doesNotContain("\"series\"");
  }
}
