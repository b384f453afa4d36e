package dev.wasmengine.bus;

import dev.wasmengine.error.BadRequestException;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/** The rule for function names, which appear in URLs, file names and OCI reference names. */
public final class FunctionNames {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
  public static final String RULE =
      "1 to 63 characters of letters, digits, '_', '.', '-', starting with a letter or digit";

  private FunctionNames() {}

  public static boolean isValid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** Reads and checks the {@code function_name} field every request carries. */
  public static String require(JsonObject body) {
    String name = JsonFields.requiredString(body, "function_name");
    if (!isValid(name)) {
      throw new BadRequestException("field function_name must be " + RULE);
    }
    return name;
  }
}
