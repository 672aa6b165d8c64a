package io.github.dockerpulls.hub;

/**
 * Observes the client at work, so that an output can count requests and show progress. Methods are
 * called from the client's worker threads and must return quickly.
 */
public interface HubListener {
  /** A listener that ignores everything. */
  HubListener NONE = new HubListener() {};

  /** One listener that tells each of {@code listeners}, in order. */
  static HubListener all(HubListener... listeners) {
    java.util.List<HubListener> list = java.util.List.of(listeners);
    return new HubListener() {
      @Override
      public void onRequest(RequestEvent event) {
        list.forEach(l -> l.onRequest(event));
      }

      @Override
      public void onRateLimit(RateLimit rateLimit) {
        list.forEach(l -> l.onRateLimit(rateLimit));
      }

      @Override
      public void onListingProgress(String namespace, int pagesFetched, int pagesKnown) {
        list.forEach(l -> l.onListingProgress(namespace, pagesFetched, pagesKnown));
      }

      @Override
      public void onRejected(String repository, String reason) {
        list.forEach(l -> l.onRejected(repository, reason));
      }

      @Override
      public void onRateLimitWait(java.time.Instant until, String reason) {
        list.forEach(l -> l.onRateLimitWait(until, reason));
      }
    };
  }

  /**
   * A repository in a listing was left out because its figures cannot be counts (a pull count that
   * is negative, not a whole number, or beyond {@link RepositoryStats#MAX_COUNT}); the rest of the
   * listing is kept.
   *
   * @param repository {@code namespace/name}, or a description when the entry names none
   * @param reason one line for people
   */
  default void onRejected(String repository, String reason) {}

  /** One HTTP exchange ended, successfully or not. */
  default void onRequest(RequestEvent event) {}

  /** The Hub announced its request budget. */
  default void onRateLimit(RateLimit rateLimit) {}

  /**
   * A page of a namespace's listing arrived.
   *
   * @param pagesFetched pages read so far in this walk
   * @param pagesKnown pages the listing has, as far as the first page said
   */
  default void onListingProgress(String namespace, int pagesFetched, int pagesKnown) {}

  /**
   * A request is about to wait for the Hub's rate limit: after a 429, or because the announced
   * budget is used up. Called once per wait, before it starts.
   *
   * @param until when the request will be sent
   * @param reason what is waited for, for people
   */
  default void onRateLimitWait(java.time.Instant until, String reason) {}
}
