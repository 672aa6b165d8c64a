package io.github.dockerpulls.hub;

/**
 * Observes the client at work, so that an output can count requests and show progress. Methods are
 * called from the client's worker threads and must return quickly.
 */
public interface HubListener {
  /** A listener that ignores everything. */
  HubListener NONE = new HubListener() {};

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
}
