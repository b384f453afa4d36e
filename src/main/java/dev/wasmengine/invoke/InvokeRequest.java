package dev.wasmengine.invoke;

import dev.wasmengine.bus.FunctionNames;
import dev.wasmengine.bus.JsonFields;
import dev.wasmengine.error.BadRequestException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An invocation: the function and its string arguments, as the original's
 * {@code /function/invoke}. The args keep the caller's order, so the JSON a guest receives is
 * the one the caller sent.
 */
public record InvokeRequest(String name, Map<String, String> args) {

  public InvokeRequest {
    args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
  }

  public static InvokeRequest fromJson(JsonObject body) {
    if (body == null) {
      throw new BadRequestException("an invocation must be a JSON object {function_name, args}");
    }
    return new InvokeRequest(FunctionNames.require(body), JsonFields.stringMap(body, "args"));
  }

  public JsonObject toJson() {
    return new JsonObject().put("function_name", name).put("args", argsObject());
  }

  /** The args as the guest receives them: one JSON object, UTF-8. */
  public byte[] argsJson() {
    return argsObject().encode().getBytes(StandardCharsets.UTF_8);
  }

  private JsonObject argsObject() {
    return new JsonObject(new LinkedHashMap<String, Object>(args));
  }
}
