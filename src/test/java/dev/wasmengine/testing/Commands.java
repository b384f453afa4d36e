package dev.wasmengine.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Runs the real command-line tools the registry tests rely on (openssl, htpasswd, tar, gzip,
 * skopeo, buildah), each bounded by a deadline and with a checked exit code.
 */
public final class Commands {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);

  private Commands() {}

  /** What a finished command printed. */
  public record Result(int exitCode, byte[] stdout, String stderr) {
    public String stdoutText() {
      return new String(stdout, StandardCharsets.UTF_8);
    }
  }

  /** Runs {@code command} in {@code dir}; fails the test unless it exits 0 within the default deadline. */
  public static Result run(Path dir, String... command) {
    return run(dir, DEFAULT_TIMEOUT, List.of(command));
  }

  public static Result run(Path dir, List<String> command) {
    return run(dir, DEFAULT_TIMEOUT, command);
  }

  public static Result run(Path dir, Duration timeout, List<String> command) {
    Result result = runUnchecked(dir, timeout, command);
    if (result.exitCode() != 0) {
      fail(String.join(" ", command) + " exited with " + result.exitCode() + ":\n" + result.stderr()
          + "\n" + abbreviate(result.stdoutText()));
    }
    return result;
  }

  /** Runs {@code command} and answers whatever it exited with; fails the test only when it hangs. */
  public static Result runUnchecked(Path dir, Duration timeout, List<String> command) {
    Path stderr = null;
    Process process = null;
    try {
      stderr = Files.createTempFile("command-stderr", ".txt");
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectError(stderr.toFile());
      process = builder.start();
      InputStream out = process.getInputStream();
      CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> {
        try {
          return out.readAllBytes();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        fail(String.join(" ", command) + " did not finish within " + timeout + "; stderr:\n" + Files.readString(stderr));
      }
      byte[] bytes = stdout.get(30, TimeUnit.SECONDS);
      return new Result(process.exitValue(), bytes, Files.readString(stderr));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("cannot read the output of " + command, e);
    } finally {
      if (process != null && process.isAlive()) {
        process.destroyForcibly();
      }
      if (stderr != null) {
        try {
          Files.deleteIfExists(stderr);
        } catch (IOException ignored) {
          // a temp file left behind is harmless
        }
      }
    }
  }

  /** Deletes a tree, depth first; missing is fine. */
  public static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 4000 ? text : text.substring(0, 4000) + "...";
  }
}
