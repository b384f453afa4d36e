// Sequential HTTP round trips against a running engine: GET /healthz (the baseline: HTTP and
// routing without a guest) and POST /function/invoke of the given functions. Prints medians and
// p99 in microseconds, and each median as a ratio to the baseline measured in the same run.
// Usage: java InvokeLatency.java PORT WARMUP MEASURED MAX_SECONDS
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

public class InvokeLatency {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int warmup = Integer.parseInt(args[1]);
    int measured = Integer.parseInt(args[2]);
    long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[3])).toNanos();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String base = "http://127.0.0.1:" + port;

    Map<String, HttpRequest> targets = new LinkedHashMap<>();
    targets.put("healthz (baseline)", HttpRequest.newBuilder(URI.create(base + "/healthz")).GET().build());
    targets.put("gcd", invoke(base, "{\"function_name\":\"gcd\",\"args\":{\"a\":\"12\",\"b\":\"18\"}}"));
    targets.put("authentication", invoke(base,
        "{\"function_name\":\"authentication\",\"args\":{\"arg_uri\":\"yes\",\"arg_body\":\"yes\",\"arg_secret\":\"12345\"}}"));
    targets.put("authentication-wasi", invoke(base,
        "{\"function_name\":\"authentication-wasi\",\"args\":{\"arg_uri\":\"yes\",\"arg_body\":\"yes\",\"arg_secret\":\"12345\"}}"));

    double baseline = 0;
    System.out.printf("%-22s %10s %10s %8s %8s%n", "target", "median_us", "p99_us", "ratio", "samples");
    for (Map.Entry<String, HttpRequest> target : targets.entrySet()) {
      for (int i = 0; i < warmup && System.nanoTime() < deadline; i++) {
        send(client, target.getValue());
      }
      long[] samples = new long[measured];
      int n = 0;
      for (; n < measured && System.nanoTime() < deadline; n++) {
        long start = System.nanoTime();
        send(client, target.getValue());
        samples[n] = System.nanoTime() - start;
      }
      long[] taken = Arrays.copyOf(samples, n);
      Arrays.sort(taken);
      double median = taken[n / 2] / 1000.0;
      double p99 = taken[Math.min(n - 1, (int) (n * 0.99))] / 1000.0;
      if (baseline == 0) {
        baseline = median;
      }
      System.out.printf("%-22s %10.1f %10.1f %8.2f %8d%n", target.getKey(), median, p99, median / baseline, n);
    }
  }

  static HttpRequest invoke(String base, String body) {
    return HttpRequest.newBuilder(URI.create(base + "/function/invoke"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  static void send(HttpClient client, HttpRequest request) throws Exception {
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
    }
  }
}
