// Time from a deploy request to the first invoke response, for one module deployed again and
// again: each round deploys, invokes once, and deletes (so the next round pulls and compiles
// afresh: a deleted function's layer and compiled module are dropped). The sources take turns
// within each round, so JIT warm-up and machine noise fall on all of them alike; the first is
// the baseline (the same module as a local file). WARMUP rounds are run first and not counted.
// Usage: java DeployLatency.java PORT WARMUP ROUNDS MAX_SECONDS LABEL=IMAGE...
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

public class DeployLatency {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int warmup = Integer.parseInt(args[1]);
    int rounds = Integer.parseInt(args[2]);
    long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[3])).toNanos();
    String[] labels = new String[args.length - 4];
    String[] images = new String[labels.length];
    for (int a = 0; a < labels.length; a++) {
      labels[a] = args[a + 4].substring(0, args[a + 4].indexOf('='));
      images[a] = args[a + 4].substring(args[a + 4].indexOf('=') + 1);
    }
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String base = "http://127.0.0.1:" + port;
    long[][] samples = new long[labels.length][rounds];
    int n = 0;
    for (int round = -warmup; round < rounds && System.nanoTime() < deadline; round++) {
      for (int a = 0; a < labels.length; a++) {
        long took = deployAndInvoke(client, base, labels[a] + "-" + (round + warmup), images[a]);
        if (round >= 0) {
          samples[a][round] = took;
        }
      }
      n = Math.max(0, round + 1);
    }
    System.out.printf("%-10s %12s %12s %12s %8s %8s%n", "source", "median_ms", "p90_ms", "min_ms", "ratio", "rounds");
    double baseline = 0;
    for (int a = 0; a < labels.length; a++) {
      long[] taken = Arrays.copyOf(samples[a], n);
      Arrays.sort(taken);
      double median = taken[n / 2] / 1e6;
      baseline = a == 0 ? median : baseline;
      System.out.printf("%-10s %12.1f %12.1f %12.1f %8.2f %8d%n", labels[a], median, taken[(int) (n * 0.9)] / 1e6,
          taken[0] / 1e6, median / baseline, n);
    }
  }

  /** Deploy, first invoke (timed together), then delete so the next round starts from nothing. */
  static long deployAndInvoke(HttpClient client, String base, String name, String image) throws Exception {
    long start = System.nanoTime();
    post(client, base + "/function/deploy",
        "{\"function_name\":\"" + name + "\",\"function_image\":\"" + image + "\",\"wasi_cap\":true}");
    post(client, base + "/function/invoke", "{\"function_name\":\"" + name + "\",\"args\":{}}");
    long took = System.nanoTime() - start;
    post(client, base + "/function/delete", "{\"function_name\":\"" + name + "\"}");
    return took;
  }

  static void post(HttpClient client, String url, String body) throws Exception {
    HttpResponse<String> response = client.send(
        HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
    }
  }
}
