package dev.wasmengine.api;

import dev.wasmengine.error.BadRequestException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The JSON object every management and invoke request carries. */
public final class RequestBodies {
  private RequestBodies() {}

  public static JsonObject object(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    String text = body == null ? "" : body.toString().stripLeading();
    if (text.isEmpty()) {
      throw new BadRequestException("request body must be a JSON object, got nothing");
    }
    if (text.charAt(0) != '{') {
      throw new BadRequestException("request body must be a JSON object");
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      throw new BadRequestException("request body is not valid JSON");
    }
  }
}
