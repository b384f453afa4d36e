package dev.wasmengine.bus;

import dev.wasmengine.error.BadRequestException;
import io.vertx.core.json.JsonObject;

/**
 * A function's identity: its namespace and name. Functions of the original API live in the
 * default namespace, as OpenFaaS functions do when they name none.
 */
public record FunctionRef(String namespace, String name) {
  public static final String DEFAULT_NAMESPACE = "openfaas-fn";

  public FunctionRef {
    if (!FunctionNames.isValid(name)) {
      throw new BadRequestException("function name \"" + name + "\" must be " + FunctionNames.RULE);
    }
    if (!FunctionNames.isValid(namespace)) {
      throw new BadRequestException("namespace \"" + namespace + "\" must be " + FunctionNames.RULE);
    }
  }

  public static FunctionRef of(String name) {
    return new FunctionRef(DEFAULT_NAMESPACE, name);
  }

  /** Reads {@code function_name} and the optional {@code namespace} of a message. */
  public static FunctionRef from(JsonObject body) {
    String name = FunctionNames.require(body);
    String namespace = JsonFields.optionalString(body, "namespace").filter(ns -> !ns.isEmpty()).orElse(DEFAULT_NAMESPACE);
    return new FunctionRef(namespace, name);
  }

  public JsonObject toJson() {
    return new JsonObject().put("function_name", name).put("namespace", namespace);
  }

  /** One string for maps, shards and logs: {@code namespace/name}. */
  public String key() {
    return namespace + "/" + name;
  }

  public boolean inDefaultNamespace() {
    return namespace.equals(DEFAULT_NAMESPACE);
  }

  @Override
  public String toString() {
    return inDefaultNamespace() ? name : name + "." + namespace;
  }
}
