package dev.wasmengine.cluster;

import dev.wasmengine.testing.Await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * A bounded stream of calls to one function on one engine, from a few threads, each call
 * recorded with its status, the node that served it and when it ended. Bounded in count and
 * in time, whatever the test does.
 */
final class CallLoad implements AutoCloseable {
  private static final int MAX_CALLS = 200_000;
  private static final Duration MAX_TIME = Duration.ofMinutes(3);
  /** Longer than the engine's default deadline (10 s): a call that hangs shows as status 0. */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

  record Call(long startedNanos, long endedNanos, int status, String servedBy, String body) {
    boolean failed() {
      return status != 200;
    }
  }

  record Summary(List<Call> calls) {
    List<Call> failed() {
      return calls.stream().filter(Call::failed).toList();
    }

    int failures() {
      return failed().size();
    }

    List<Integer> failureStatuses() {
      return failed().stream().map(Call::status).toList();
    }

    List<String> failureBodies() {
      return failed().stream().map(Call::body).toList();
    }

    /** Failed calls among those sent after {@code nanos}. */
    long failuresStartedAfter(long nanos) {
      return calls.stream().filter(call -> call.startedNanos() - nanos > 0 && call.failed()).count();
    }

    /** The nodes that served calls sent after {@code nanos}. */
    Set<String> servedByStartedAfter(long nanos) {
      return calls.stream().filter(call -> call.startedNanos() - nanos > 0).map(Call::servedBy)
          .collect(Collectors.toSet());
    }

    /** Milliseconds from {@code nanos} to the last failed call's end (0 without failures). */
    long lastFailureMillisAfter(long nanos) {
      return failed().stream().mapToLong(call -> (call.endedNanos() - nanos) / 1_000_000).max().orElse(0);
    }
  }

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();
  private final URI uri;
  private final long startedNanos = System.nanoTime();

  private CallLoad(int port, String function) {
    this.uri = URI.create("http://127.0.0.1:" + port + "/function/" + function);
  }

  /** @param threads how many calls are in flight at most (each thread waits for its answer) */
  static CallLoad start(int port, String function, int threads) {
    CallLoad load = new CallLoad(port, function);
    for (int i = 0; i < threads; i++) {
      load.threads.add(Thread.ofPlatform().name("call-load-" + i).start(load::run));
    }
    return load;
  }

  private void run() {
    while (running.get() && calls.size() < MAX_CALLS && System.nanoTime() - startedNanos < MAX_TIME.toNanos()) {
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(CALL_TIMEOUT)
          .POST(HttpRequest.BodyPublishers.ofString("load")).build();
      long started = System.nanoTime();
      try {
        HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
        calls.add(new Call(started, System.nanoTime(), answer.statusCode(),
            answer.headers().firstValue("X-Served-By").orElse(""), answer.body()));
      } catch (IOException e) {
        calls.add(new Call(started, System.nanoTime(), 0, "", e.toString()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  void awaitServedBy(String node, Duration within) {
    Await.eventually("a call served by " + node, within, () -> {
      if (calls.stream().noneMatch(call -> call.servedBy().equals(node))) {
        throw new AssertionError("served by " + calls.stream().map(Call::servedBy).collect(Collectors.toSet()));
      }
    });
  }

  void awaitSuccessesAfter(long nanos, int count, Duration within) {
    Await.eventually(count + " successful calls", within, () -> {
      long done = calls.stream().filter(call -> call.startedNanos() - nanos > 0 && !call.failed()).count();
      if (done < count) {
        throw new AssertionError(done + " so far");
      }
    });
  }

  Summary stop() {
    running.set(false);
    for (Thread thread : threads) {
      try {
        thread.join(CALL_TIMEOUT.plusSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return new Summary(List.copyOf(calls));
  }

  @Override
  public void close() {
    stop();
    client.close();
  }
}
