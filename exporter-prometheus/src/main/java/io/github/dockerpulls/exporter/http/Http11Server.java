package io.github.dockerpulls.exporter.http;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * A small HTTP/1.1 server for the exporter: one thread reads every connection without blocking
 * until a request's head is complete, a few worker threads answer complete requests, and the
 * answers are written back without blocking. A client that sends its request slowly, or never
 * finishes it, therefore holds a buffer, not a thread, and {@code /metrics} and the probes keep
 * answering. Heads have size limits (an oversized one gets 414 or 431, not a reset), a request that
 * does not arrive within the head timeout gets 408, idle keep-alive connections are closed, and
 * answers go out with {@code TCP_NODELAY} so that keep-alive clients never wait for delayed
 * acknowledgements. TLS runs through an {@link SSLEngine} on the same thread.
 *
 * <p>It takes no request bodies: a {@code Content-Length} body up to the limit is read and dropped,
 * a larger one gets 413, a chunked one 411.
 *
 * <p>Why one class of about a thousand lines: the loop, the connections' state machine and the
 * limits share their state on one thread by design (nothing is locked), and a connection's reading,
 * TLS and writing steps are one machine; split across files they would need that state made visible
 * beyond this class. Its parts are in order: limits, loop, connection limits, the connection
 * (reading, parsing, answering, streaming, TLS).
 */
public final class Http11Server implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Http11Server.class.getName());

  private final AtomicLong errors = new AtomicLong();

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT);

  /** Answers one complete request; it runs on a worker thread. */
  @FunctionalInterface
  public interface Handler {
    HttpResponse handle(HttpRequest request) throws Exception;
  }

  /** The bounds of what one client may send and hold. */
  public record Limits(
      int requestLine,
      int headBytes,
      int headerFields,
      long body,
      Duration headTimeout,
      Duration idleTimeout,
      Duration writeTimeout,
      int connections) {
    public static final Limits DEFAULT =
        new Limits(
            8 * 1024,
            16 * 1024,
            100,
            64 * 1024,
            Duration.ofSeconds(10),
            Duration.ofSeconds(75),
            Duration.ofSeconds(30),
            4096);
  }

  private enum State {
    READING,
    WORKING,
    WRITING
  }

  private final ServerSocketChannel listener;
  private final Selector selector;
  private final SSLContext tls;
  private final Handler handler;
  private final Limits limits;
  private final ThreadPoolExecutor workers;

  /** Makes the parts of streamed answers, apart from the workers that answer requests. */
  private final ThreadPoolExecutor streams;

  /** Paths answered on the loop itself: probes, which must answer while the workers are busy. */
  private final Set<String> inline;

  private final Thread loop;
  private final Queue<Runnable> fromWorkers = new ConcurrentLinkedQueue<>();
  private final Set<Connection> connections = new HashSet<>();

  /** Open connections by client address. */
  private final Map<InetAddress, Integer> perClient = new HashMap<>();

  private volatile boolean running = true;
  private long dateSecond = -1;
  private String date = "";

  public Http11Server(
      InetSocketAddress address, SSLContext tls, Handler handler, int threads, Limits limits)
      throws IOException {
    this(address, tls, handler, threads, limits, Set.of());
  }

  /**
   * @param inline paths whose answers are cheap and must come even while every worker is busy
   *     (health and readiness probes): {@code handler} answers them on the server's own thread
   */
  public Http11Server(
      InetSocketAddress address,
      SSLContext tls,
      Handler handler,
      int threads,
      Limits limits,
      Set<String> inline)
      throws IOException {
    this.tls = tls;
    this.inline = Set.copyOf(inline);
    this.handler = handler;
    this.limits = limits;
    this.selector = Selector.open();
    this.listener = ServerSocketChannel.open();
    try {
      listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      listener.bind(address, 1024);
      listener.configureBlocking(false);
      listener.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException e) {
      listener.close();
      selector.close();
      throw e;
    }
    AtomicInteger count = new AtomicInteger();
    this.workers =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1024),
            r -> daemon(r, "dockerpulls-http-" + count.incrementAndGet()));
    this.streams =
        new ThreadPoolExecutor(
            2,
            2,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(limits.connections()),
            r -> daemon(r, "dockerpulls-http-stream-" + count.incrementAndGet()));
    this.loop = daemon(this::run, "dockerpulls-http-io");
    loop.start();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** The port the server listens on. */
  public int port() {
    try {
      return ((InetSocketAddress) listener.getLocalAddress()).getPort();
    } catch (IOException e) {
      throw new IllegalStateException("the listening socket is closed", e);
    }
  }

  /** Stops accepting, closes every connection, and lets answers in progress finish (1 s). */
  @Override
  public void close() {
    running = false;
    selector.wakeup();
    try {
      loop.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.shutdown();
    streams.shutdownNow();
    try {
      workers.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    long nextSweep = System.nanoTime();
    try {
      while (running) {
        try {
          selector.select(250);
          for (SelectionKey key : selector.selectedKeys()) {
            handle(key);
          }
          selector.selectedKeys().clear();
          Runnable task;
          while ((task = fromWorkers.poll()) != null) {
            task.run();
          }
          long now = System.nanoTime();
          if (now - nextSweep >= 0) {
            sweep(now);
            nextSweep = now + TimeUnit.MILLISECONDS.toNanos(250);
          }
        } catch (IOException | ClosedSelectorException e) {
          LOG.log(Level.ERROR, "the HTTP server stopped: " + e);
          return;
        } catch (Throwable e) { // an Error too (out of memory): the loop serves on
          failed(e, "the HTTP server's loop");
          selector.selectedKeys().clear();
          pause();
        }
      }
    } finally {
      for (Connection c : new ArrayList<>(connections)) {
        c.close();
      }
      closeQuietly(listener);
      try {
        selector.close();
      } catch (IOException ignored) {
        // Closing anyway.
      }
    }
  }

  private void handle(SelectionKey key) {
    if (!key.isValid()) {
      return;
    }
    if (key.isAcceptable()) {
      accept();
      return;
    }
    Connection c = (Connection) key.attachment();
    try {
      if (key.isWritable()) {
        c.flush();
      }
      if (key.isValid() && key.isReadable()) {
        c.read();
      }
    } catch (IOException | RuntimeException e) {
      c.close();
    } catch (Error e) { // out of memory on one connection: that connection goes, the rest stay
      c.close();
      failed(e, "a connection");
    }
  }

  /**
   * Errors and unexpected exceptions the server survived: in its loop, on a connection, or in a
   * handler (which then answered 500). Each is logged as one line.
   */
  public long errors() {
    return errors.get();
  }

  private void failed(Throwable e, String where) {
    errors.incrementAndGet();
    try {
      LOG.log(Level.ERROR, where + " failed and the server goes on: " + e);
    } catch (Throwable ignored) {
      // Out of memory even for the log line: the count still says it happened.
    }
  }

  /** After a failure of the loop itself, a moment's rest, so that a lasting one cannot spin. */
  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void accept() {
    SocketChannel ch;
    try {
      while ((ch = listener.accept()) != null) {
        try {
          InetAddress client = ((InetSocketAddress) ch.getRemoteAddress()).getAddress();
          if (!makeRoomFor(client)) {
            closeQuietly(ch);
            continue;
          }
          ch.configureBlocking(false);
          ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
          Connection c = new Connection(ch);
          c.key = ch.register(selector, SelectionKey.OP_READ, c);
          connections.add(c);
          perClient.merge(c.client, 1, Integer::sum);
        } catch (IOException e) {
          closeQuietly(ch);
        }
      }
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "accept failed: " + e.getMessage());
    }
  }

  /**
   * Makes room for one more connection from {@code client}: when that address holds a quarter of
   * the allowed connections, or the server all of them, the connection idle longest (kept alive
   * between requests, nothing under way) goes, from that address first. A new connection, a health
   * probe, is then always taken while any connection idles; false only when none does.
   */
  private boolean makeRoomFor(InetAddress client) {
    int perClientLimit = Math.max(1, limits.connections() / 4);
    if (perClient.getOrDefault(client, 0) >= perClientLimit) {
      Connection idle = longestIdle(client);
      if (idle == null) {
        return false;
      }
      idle.close();
    }
    if (connections.size() >= limits.connections()) {
      Connection idle = longestIdle(null);
      if (idle == null) {
        return false;
      }
      idle.close();
    }
    return true;
  }

  /** The connection idle longest between requests, of {@code client} or of any when null. */
  private Connection longestIdle(InetAddress client) {
    Connection oldest = null;
    for (Connection c : connections) {
      boolean idle = c.state == State.READING && !c.started && c.source == null;
      if (idle
          && (client == null || client.equals(c.client))
          && (oldest == null || c.idleSince < oldest.idleSince)) {
        oldest = c;
      }
    }
    return oldest;
  }

  /** Closes the connections whose time is up; a request that never completed gets 408 first. */
  private void sweep(long now) {
    for (Connection c : new ArrayList<>(connections)) {
      if (c.state != State.WORKING && now - c.deadline >= 0) {
        if (c.state == State.READING && c.started && (c.engine == null || c.secured)) {
          c.fail(408, "the request did not arrive in time\n");
        } else {
          c.close();
        }
      }
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // Nothing left to do with it.
    }
  }

  private String date() {
    long second = System.currentTimeMillis() / 1000;
    if (second != dateSecond) {
      dateSecond = second;
      date =
          HTTP_DATE.format(
              ZonedDateTime.ofInstant(java.time.Instant.ofEpochSecond(second), ZoneOffset.UTC));
    }
    return date;
  }

  /** One client connection; touched by the loop thread only. */
  private final class Connection {
    final SocketChannel ch;
    final InetAddress client;
    final SSLEngine engine;
    SelectionKey key;
    State state = State.READING;

    /** Plain bytes received and not yet parsed (write mode). */
    ByteBuffer in;

    /** TLS records received and not yet unwrapped (write mode). */
    ByteBuffer netIn;

    /** Plain bytes of the answer not yet sent or wrapped (read mode). */
    ByteBuffer[] out = {ByteBuffer.allocate(0)};

    /** TLS records not yet written (read mode). */
    ByteBuffer netOut;

    long deadline;

    /** Whether bytes of the current request have arrived. */
    boolean started;

    boolean closeAfterWrite;

    /** The rest of a streamed answer's body, while it is sent; null otherwise. */
    BodySource source;

    /** Whether the streamed answer goes in chunks (HTTP/1.1), or ends with the connection. */
    boolean chunked;

    /** When the connection last began waiting for a request (System.nanoTime). */
    long idleSince = System.nanoTime();

    /** Body bytes of the last request still to be dropped. */
    long skip;

    boolean closed;

    /** Whether the client shut its side down. */
    boolean inputClosed;

    /** Whether application data came through TLS (the handshake is done). */
    boolean secured;

    Connection(SocketChannel ch) throws IOException {
      this.ch = ch;
      this.client = ((InetSocketAddress) ch.getRemoteAddress()).getAddress();
      if (tls != null) {
        engine = tls.createSSLEngine();
        engine.setUseClientMode(false);
        int packet = engine.getSession().getPacketBufferSize();
        netIn = ByteBuffer.allocate(packet);
        netOut = ByteBuffer.allocate(packet).flip();
        in = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        started = true; // a handshake that never finishes is a request that never arrives
        deadline = System.nanoTime() + limits.headTimeout().toNanos();
      } else {
        engine = null;
        in = ByteBuffer.allocate(2048);
        deadline = System.nanoTime() + limits.idleTimeout().toNanos();
      }
    }

    void read() throws IOException {
      int n;
      if (engine == null) {
        grow();
        n = ch.read(in);
      } else {
        n = ch.read(netIn);
      }
      if (n < 0) {
        // The client sent all it will: answer a request it completed, then close.
        inputClosed = true;
        if (state == State.READING && in.position() > 0) {
          parse();
        }
        if (!closed && state == State.READING) {
          close();
        }
        return;
      }
      if (engine != null && !pumpTls()) {
        return;
      }
      if (state == State.READING) {
        parse();
      }
    }

    /** Makes room in {@link #in}, up to the head limit. */
    private void grow() {
      if (!in.hasRemaining() && in.capacity() < limits.headBytes() + 1) {
        ByteBuffer bigger =
            ByteBuffer.allocate(Math.min(in.capacity() * 2, limits.headBytes() + 1));
        in.flip();
        bigger.put(in);
        in = bigger;
      }
    }

    /** Parses every complete request head in {@link #in} and hands the first on. */
    void parse() {
      in.flip();
      try {
        if (skip > 0) {
          int dropped = (int) Math.min(skip, in.remaining());
          in.position(in.position() + dropped);
          skip -= dropped;
        }
        // Empty lines before a request line are allowed and ignored.
        while (in.hasRemaining()
            && (in.get(in.position()) == '\r' || in.get(in.position()) == '\n')) {
          in.get();
        }
        if (!in.hasRemaining()) {
          return;
        }
        if (!started) {
          started = true;
          deadline = System.nanoTime() + limits.headTimeout().toNanos();
        }
        int end = headEnd();
        if (end < 0) {
          if (in.remaining() >= limits.headBytes()) {
            failTooLarge();
          }
          return;
        }
        byte[] head = new byte[end - in.position()];
        in.get(head);
        dispatch(new String(head, StandardCharsets.ISO_8859_1));
      } finally {
        if (!closed) {
          in.compact();
        }
      }
    }

    /** The index just past the blank line that ends the head, or -1. */
    private int headEnd() {
      int limit = in.limit();
      for (int i = in.position(); i < limit; i++) {
        if (in.get(i) != '\n') {
          continue;
        }
        if (i + 1 < limit && in.get(i + 1) == '\n') {
          return i + 2;
        }
        if (i + 2 < limit && in.get(i + 1) == '\r' && in.get(i + 2) == '\n') {
          return i + 3;
        }
      }
      return -1;
    }

    private void failTooLarge() {
      int lineEnd = -1;
      for (int i = in.position();
          i < in.limit() && i - in.position() <= limits.requestLine();
          i++) {
        if (in.get(i) == '\n') {
          lineEnd = i;
          break;
        }
      }
      if (lineEnd < 0) {
        fail(414, "the request line is longer than " + limits.requestLine() + " bytes\n");
      } else {
        fail(431, "the request head is larger than " + limits.headBytes() + " bytes\n");
      }
    }

    private void dispatch(String head) {
      List<String> lines = new ArrayList<>();
      for (String line : head.split("\n", -1)) {
        lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
      }
      while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
        lines.remove(lines.size() - 1);
      }
      String requestLine = lines.get(0);
      if (requestLine.length() > limits.requestLine()) {
        fail(414, "the request line is longer than " + limits.requestLine() + " bytes\n");
        return;
      }
      String[] parts = requestLine.split(" ", -1);
      if (parts.length != 3 || !isToken(parts[0]) || !validTarget(parts[1])) {
        fail(400, "malformed request line\n");
        return;
      }
      String version = parts[2];
      if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
        fail(version.startsWith("HTTP/") ? 505 : 400, "only HTTP/1.1 and HTTP/1.0 are served\n");
        return;
      }
      if (lines.size() - 1 > limits.headerFields()) {
        fail(431, "more than " + limits.headerFields() + " header fields\n");
        return;
      }
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.size(); i++) {
        String line = lines.get(i);
        int colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.substring(0, colon))) {
          fail(400, "malformed header field\n");
          return;
        }
        headers
            .computeIfAbsent(
                line.substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>(1))
            .add(line.substring(colon + 1).strip());
      }
      if (headers.containsKey("transfer-encoding")) {
        fail(411, "request bodies must have a Content-Length\n");
        return;
      }
      List<String> lengths = headers.getOrDefault("content-length", List.of());
      long length = 0;
      if (!lengths.isEmpty()) {
        try {
          length = Long.parseLong(lengths.get(0));
        } catch (NumberFormatException e) {
          length = -1;
        }
        if (length < 0 || lengths.stream().anyMatch(l -> !l.equals(lengths.get(0)))) {
          fail(400, "malformed Content-Length\n");
          return;
        }
        if (length > limits.body()) {
          fail(413, "request bodies are limited to " + limits.body() + " bytes\n");
          return;
        }
      }
      skip = length;
      String connection = String.join(",", headers.getOrDefault("connection", List.of()));
      boolean keepAlive =
          version.equals("HTTP/1.1")
              ? !hasToken(connection, "close")
              : hasToken(connection, "keep-alive");
      String target = parts[1];
      int q = target.indexOf('?');
      HttpRequest request =
          new HttpRequest(
              parts[0],
              q < 0 ? target : target.substring(0, q),
              q < 0 ? null : target.substring(q + 1),
              headers,
              client);
      state = State.WORKING;
      key.interestOps(0);
      if (inline.contains(request.path())) {
        answer(request, keepAlive, version);
        return;
      }
      try {
        workers.execute(() -> answer(request, keepAlive, version));
      } catch (RejectedExecutionException busy) {
        state = State.READING;
        fail(503, "too many requests at once\n");
      }
    }

    /** Runs on a worker: the handler's answer, serialized, goes back to the loop. */
    private void answer(HttpRequest request, boolean keepAlive, String version) {
      HttpResponse response;
      try {
        response = handler.handle(request);
      } catch (Throwable e) { // an Error too: the worker and the server go on
        failed(e, "answering " + request.method() + " " + request.path());
        response = HttpResponse.text(500, "internal error\n");
      }
      HttpResponse r = response;
      fromWorkers.add(() -> send(r, request.isHead(), keepAlive, version));
      selector.wakeup();
    }

    /** An error answer from the loop itself; the connection closes after it. */
    void fail(int status, String message) {
      send(HttpResponse.text(status, message), false, false, "HTTP/1.1");
    }

    private void send(HttpResponse r, boolean head, boolean keepAlive, String version) {
      if (closed) {
        return;
      }
      boolean close = !keepAlive || !running || inputClosed;
      StringBuilder s = new StringBuilder(256);
      s.append("HTTP/1.1 ").append(r.status).append(' ').append(HttpResponse.reason(r.status));
      s.append("\r\nDate: ").append(date());
      for (Map.Entry<String, String> h : r.headers.entrySet()) {
        String name = h.getKey().toLowerCase(Locale.ROOT);
        if (name.equals("content-length") || name.equals("connection")) {
          continue; // the server's own
        }
        s.append("\r\n").append(h.getKey()).append(": ").append(h.getValue());
      }
      boolean streamed = r.source != null;
      if (streamed && head) {
        r.source.close();
      }
      if (!streamed) {
        s.append("\r\nContent-Length: ").append(r.length());
      } else if (version.equals("HTTP/1.1")) {
        s.append("\r\nTransfer-Encoding: chunked");
      } else {
        close = true; // an HTTP/1.0 client reads the body to the end of the connection
      }
      s.append("\r\nX-Content-Type-Options: nosniff");
      if (close) {
        s.append("\r\nConnection: close");
      } else if (version.equals("HTTP/1.0")) {
        s.append("\r\nConnection: keep-alive");
      }
      s.append("\r\n\r\n");
      ByteBuffer headBytes = ByteBuffer.wrap(s.toString().getBytes(StandardCharsets.ISO_8859_1));
      // The body's arrays go out as they are (gathering writes): a scrape copies nothing.
      out =
          head
              ? new ByteBuffer[] {headBytes}
              : new ByteBuffer[] {headBytes, ByteBuffer.wrap(r.body), ByteBuffer.wrap(r.tail)};
      closeAfterWrite = close;
      if (streamed && !head) {
        source = r.source;
        chunked = version.equals("HTTP/1.1");
        out = new ByteBuffer[] {headBytes};
      }
      startWriting();
    }

    /** Writes what is pending; when the answer is out, reads the next request or closes. */
    void flush() throws IOException {
      if (engine != null) {
        if (!pumpTls()) {
          return;
        }
      } else {
        while (hasRemaining(out)) {
          if (ch.write(out) == 0) {
            break;
          }
          deadline = System.nanoTime() + limits.writeTimeout().toNanos();
        }
      }
      boolean pending = hasRemaining(out) || (netOut != null && netOut.hasRemaining());
      if (pending) {
        key.interestOps(SelectionKey.OP_WRITE);
        return;
      }
      if (state != State.WRITING) {
        key.interestOps(state == State.READING ? SelectionKey.OP_READ : 0);
        return;
      }
      if (source != null) {
        nextPart();
        return;
      }
      if (closeAfterWrite) {
        close();
        return;
      }
      state = State.READING;
      started = false;
      idleSince = System.nanoTime();
      deadline = System.nanoTime() + limits.idleTimeout().toNanos();
      key.interestOps(SelectionKey.OP_READ);
      if (in.position() > 0) {
        // A pipelined request already arrived; parsed from the loop, not from inside parse().
        fromWorkers.add(
            () -> {
              if (!closed && state == State.READING) {
                parse();
              }
            });
      }
    }

    /**
     * Drives the TLS engine: writes its records, runs its tasks, unwraps what arrived into {@link
     * #in} and wraps {@link #out}. False when the connection closed.
     */
    private boolean pumpTls() throws IOException {
      while (true) {
        while (netOut.hasRemaining()) {
          if (ch.write(netOut) == 0) {
            key.interestOps(SelectionKey.OP_WRITE);
            return true;
          }
        }
        SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
        if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK) {
          Runnable task;
          while ((task = engine.getDelegatedTask()) != null) {
            task.run();
          }
          continue;
        }
        boolean handshaking =
            hs != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                && hs != SSLEngineResult.HandshakeStatus.FINISHED;
        if (hs == SSLEngineResult.HandshakeStatus.NEED_WRAP
            || (!handshaking && hasRemaining(out))) {
          netOut.compact();
          SSLEngineResult r;
          try {
            r = engine.wrap(out, netOut);
          } finally {
            netOut.flip();
          }
          if (r.getStatus() == SSLEngineResult.Status.CLOSED && !netOut.hasRemaining()) {
            close();
            return false;
          }
          if (r.bytesProduced() > 0 || r.bytesConsumed() > 0) {
            continue;
          }
        }
        netIn.flip();
        SSLEngineResult r;
        try {
          r = engine.unwrap(netIn, in);
        } catch (SSLException e) {
          close();
          return false;
        } finally {
          netIn.compact();
        }
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
          close();
          return false;
        }
        if (r.bytesProduced() > 0) {
          secured = true;
        }
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
          if (in.capacity()
              >= limits.headBytes() + engine.getSession().getApplicationBufferSize()) {
            return true; // parse() finds the head too large
          }
          ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
          in.flip();
          bigger.put(in);
          in = bigger;
          continue;
        }
        if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
          if (state != State.WRITING) {
            key.interestOps(state == State.READING ? SelectionKey.OP_READ : 0);
          }
          return true;
        }
      }
    }

    /**
     * Asks a worker for the streamed body's next part, now that the client took the last: the
     * connection waits, reading nothing, until it comes back.
     */
    private void nextPart() {
      BodySource body = source;
      state = State.WORKING;
      key.interestOps(0);
      try {
        streams.execute(
            () -> {
              byte[] part;
              try {
                part = body.next();
              } catch (Throwable e) { // an Error too: this answer ends, the server goes on
                failed(e, "streaming an answer");
                fromWorkers.add(
                    () -> {
                      closeSource();
                      close();
                    });
                selector.wakeup();
                return;
              }
              fromWorkers.add(() -> sendPart(part));
              selector.wakeup();
            });
      } catch (RejectedExecutionException busy) {
        close();
      }
    }

    private void closeSource() {
      if (source != null) {
        BodySource body = source;
        source = null;
        try {
          body.close();
        } catch (RuntimeException e) {
          failed(e, "releasing a streamed answer");
        }
      }
    }

    /** Starts writing {@code out} within the write timeout; a failure closes the connection. */
    private void startWriting() {
      state = State.WRITING;
      deadline = System.nanoTime() + limits.writeTimeout().toNanos();
      try {
        flush();
      } catch (IOException | RuntimeException e) {
        close();
      }
    }

    /** Sends one part of a streamed body, or its end; on the loop. */
    private void sendPart(byte[] part) {
      if (closed) {
        closeSource(); // close() saw the worker busy and left the source to be released here
        return;
      }
      if (part != null && part.length == 0) {
        state = State.WRITING;
        nextPart();
        return;
      }
      if (part == null) {
        closeSource();
        out =
            chunked
                ? new ByteBuffer[] {ByteBuffer.wrap(LAST_CHUNK)}
                : new ByteBuffer[] {ByteBuffer.allocate(0)};
      } else if (chunked) {
        byte[] size =
            (Integer.toHexString(part.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        out =
            new ByteBuffer[] {ByteBuffer.wrap(size), ByteBuffer.wrap(part), ByteBuffer.wrap(CRLF)};
      } else {
        out = new ByteBuffer[] {ByteBuffer.wrap(part)};
      }
      startWriting();
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (state != State.WORKING) {
        closeSource(); // else a worker is making the next part: released when it returns
      }
      if (connections.remove(this)) {
        perClient.computeIfPresent(client, (k, n) -> n > 1 ? n - 1 : null);
      }
      if (key != null) {
        key.cancel();
      }
      closeQuietly(ch);
    }
  }

  private static boolean hasRemaining(ByteBuffer[] buffers) {
    for (ByteBuffer b : buffers) {
      if (b.hasRemaining()) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasToken(String list, String token) {
    for (String part : list.split(",")) {
      if (part.strip().equalsIgnoreCase(token)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** An origin-form target: a path from '/', visible ASCII only. */
  private static boolean validTarget(String t) {
    if (t.isEmpty() || t.charAt(0) != '/') {
      return false;
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }
}
