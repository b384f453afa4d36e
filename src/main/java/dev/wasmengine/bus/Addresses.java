package dev.wasmengine.bus;

/**
 * Event-bus addresses between the verticles. Bodies are JSON objects or buffers only, so every
 * message can cross a clustered event bus unchanged.
 */
public final class Addresses {
  /** Request {@code {function_name, args}}; reply: the function's output as a buffer. */
  public static final String INVOKE = "wasmengine.invoke";

  /** Request {@code {function_name, function_image, wasi_cap?, execution_model?}}; reply: the record. */
  public static final String DEPLOY = "wasmengine.registry.deploy";
  /** Request like DEPLOY, for a deployed function: re-pull and swap; reply: the new record. */
  public static final String UPDATE = "wasmengine.registry.update";
  /** Request {@code {function_name}}; reply: the removed record. */
  public static final String DELETE = "wasmengine.registry.delete";
  /** Request {@code {function_name}}; reply: the record. */
  public static final String QUERY = "wasmengine.registry.query";
  /** Request {@code {}}; reply: {@code {functions: [record...]}}. */
  public static final String LIST = "wasmengine.registry.list";

  /** Published after a function is deployed or deleted: {@code {function_name}}. */
  public static final String FUNCTION_CHANGED = "wasmengine.function.changed";

  private Addresses() {}
}
