package dev.wasmengine.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What every section needs: where the project is, the budget, a scratch directory, and how to
 * start JVMs and tools the way the engine runs (JIT flags from target/jit.args).
 */
public final class BenchContext {
  private final Path home;
  private final Budget budget;
  private final Path work;

  public BenchContext(Path home, Budget budget, Path work) {
    this.home = home;
    this.budget = budget;
    this.work = work;
  }

  public Path home() {
    return home;
  }

  public Budget budget() {
    return budget;
  }

  /** A fresh directory under the run's scratch space. */
  public Path scratch(String name) throws IOException {
    return Files.createDirectories(work.resolve(name));
  }

  public Path java() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** A JVM command running {@code mainClass} with the engine's JIT flags and class path. */
  public List<String> jvm(String mainClass, List<String> jvmOptions, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java().toString());
    command.add("@" + home.resolve("target/jit.args"));
    command.add("@" + home.resolve("conf/jvm.options"));
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  /**
   * Runs a command to its end, killed past {@code limit}; returns its output (stdout and stderr);
   * fails on a non-zero exit. The output goes to a file, so a chatty or hung process cannot
   * block the wait.
   */
  public String run(List<String> command, Duration limit) throws IOException, InterruptedException {
    Path output = Files.createTempFile(work, "run-", ".out");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    process.getOutputStream().close();
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IOException("timed out after " + limit + ": " + String.join(" ", command));
    }
    String text = Files.readString(output);
    Files.delete(output);
    if (process.exitValue() != 0) {
      throw new IOException("exit " + process.exitValue() + " from " + String.join(" ", command) + ":\n" + text);
    }
    return text;
  }

  public void log(String message) {
    System.err.println("[bench] " + message);
  }
}
