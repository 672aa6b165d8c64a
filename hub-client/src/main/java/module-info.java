/**
 * A client for Docker Hub's repository statistics: {@link io.github.dockerpulls.hub.DockerHub}
 * lists the repositories of a namespace and reads single ones, with authentication, retries and the
 * Hub's rate limits; {@link io.github.dockerpulls.hub.Poller} refreshes targets on a schedule. Only
 * {@code io.github.dockerpulls.hub} is exported: the HTTP and JSON details in {@code
 * io.github.dockerpulls.hub.internal} may change in any release. The library logs through {@link
 * java.lang.System.Logger} only.
 */
module io.github.dockerpulls.hub {
  requires okhttp3;
  requires okio;
  requires com.squareup.moshi;

  exports io.github.dockerpulls.hub;

  // Moshi builds the JSON records of the Hub's answers by reflection.
  opens io.github.dockerpulls.hub.internal to
      com.squareup.moshi;
}
