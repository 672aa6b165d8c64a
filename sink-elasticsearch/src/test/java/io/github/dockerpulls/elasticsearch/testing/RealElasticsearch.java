package io.github.dockerpulls.elasticsearch.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the shared {@link TestElasticsearch} before a test class and stops it once every test of
 * the run has finished, also when tests failed. A server that cannot start fails the tests.
 */
public final class RealElasticsearch implements BeforeAllCallback {
  @Override
  public void beforeAll(ExtensionContext context) {
    TestElasticsearch.get();
    context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(
            "dockerpulls-test-elasticsearch",
            k -> (AutoCloseable) TestElasticsearch::stopShared,
            AutoCloseable.class);
  }
}
