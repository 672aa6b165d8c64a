package io.github.dockerpulls.hub;

import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import okio.Buffer;

/**
 * Tags as JSON, the one shape that {@code dockerpulls tags -f json} prints and the exporter's
 * {@code /api/v1/tags} answers:
 *
 * <pre>{@code
 * {"repositories": [{"namespace", "name", "tags": [{"name", "digest", "full_size",
 *   "last_pushed", "last_pulled", "status",
 *   "images": [{"architecture", "os", "size", "last_pulled"}]}]}]}
 * }</pre>
 *
 * Times are ISO-8601 instants; what the Hub did not give is null.
 */
public final class TagsJson {
  private TagsJson() {}

  /** One repository's tags. */
  public record Repository(String namespace, String name, List<Tag> tags) {
    public Repository {
      tags = List.copyOf(tags);
    }
  }

  /** The repositories' tags, indented when {@code pretty}. */
  public static String render(List<Repository> repositories, boolean pretty) {
    Buffer buffer = new Buffer();
    try (JsonWriter json = JsonWriter.of(buffer)) {
      if (pretty) {
        json.setIndent("  ");
      }
      json.setSerializeNulls(true);
      json.beginObject().name("repositories").beginArray();
      for (Repository r : repositories) {
        json.beginObject().name("namespace").value(r.namespace()).name("name").value(r.name());
        json.name("tags").beginArray();
        for (Tag t : r.tags()) {
          json.beginObject();
          json.name("name").value(t.name());
          json.name("digest").value(t.digest().orElse(null));
          number(json.name("full_size"), t.fullSize());
          json.name("last_pushed").value(time(t.lastPushed()));
          json.name("last_pulled").value(time(t.lastPulled()));
          json.name("status").value(t.status().orElse(null));
          json.name("images").beginArray();
          for (Tag.Image i : t.images()) {
            json.beginObject();
            json.name("architecture").value(i.architecture().orElse(null));
            json.name("os").value(i.os().orElse(null));
            number(json.name("size"), i.size());
            json.name("last_pulled").value(time(i.lastPulled()));
            json.endObject();
          }
          json.endArray().endObject();
        }
        json.endArray().endObject();
      }
      json.endArray().endObject();
    } catch (IOException e) {
      throw new IllegalStateException("a Buffer does not fail", e);
    }
    return buffer.readUtf8();
  }

  private static void number(JsonWriter json, OptionalLong v) throws IOException {
    if (v.isPresent()) {
      json.value(v.getAsLong());
    } else {
      json.nullValue();
    }
  }

  private static String time(Optional<Instant> t) {
    return t.map(Instant::toString).orElse(null);
  }
}
