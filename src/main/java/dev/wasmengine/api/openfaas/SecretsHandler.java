package dev.wasmengine.api.openfaas;

import dev.wasmengine.api.RequestBodies;
import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.JsonFields;
import dev.wasmengine.error.BadRequestException;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * {@code /system/secrets}: GET lists {@code [{"name", "namespace"}]} (never values); POST creates
 * (201, 409 if it exists), PUT replaces (202, 404 if unknown), DELETE removes (202, 404 if
 * unknown, 409 while a function names it). Bodies: {@code {"name", "namespace", "value"}} or
 * {@code "rawValue"} (base64) for bytes that are not text.
 */
final class SecretsHandler implements Handler<RoutingContext> {
  private final ProviderRequests provider;

  SecretsHandler(ProviderRequests provider) {
    this.provider = provider;
  }

  @Override
  public void handle(RoutingContext ctx) {
    switch (ctx.request().method().name()) {
      case "GET" -> provider.registry.request(Addresses.SECRETS,
              new JsonObject().put("namespace", ProviderRequests.namespaceParam(ctx)))
          .onSuccess(reply -> ProviderRequests.json(ctx, 200, reply.getJsonArray("secrets", new JsonArray())))
          .onFailure(ctx::fail);
      case "POST" -> provider.registry.request(Addresses.SECRET_CREATE, withValue(RequestBodies.object(ctx)))
          .onSuccess(created -> ctx.response().setStatusCode(201).end())
          .onFailure(ctx::fail);
      case "PUT" -> provider.registry.request(Addresses.SECRET_UPDATE, withValue(RequestBodies.object(ctx)))
          .onSuccess(updated -> ProviderRequests.accepted(ctx))
          .onFailure(ctx::fail);
      default -> provider.registry.request(Addresses.SECRET_DELETE, named(RequestBodies.object(ctx)))
          .onSuccess(deleted -> ProviderRequests.accepted(ctx))
          .onFailure(ctx::fail);
    }
  }

  private static JsonObject named(JsonObject body) {
    JsonObject request = new JsonObject().put("name", JsonFields.requiredString(body, "name"));
    JsonFields.optionalString(body, "namespace").filter(ns -> !ns.isEmpty()).ifPresent(ns -> request.put("namespace", ns));
    return request;
  }

  private static JsonObject withValue(JsonObject body) {
    Optional<String> value = JsonFields.optionalString(body, "value").filter(text -> !text.isEmpty());
    Optional<String> raw = JsonFields.optionalString(body, "rawValue").filter(text -> !text.isEmpty());
    if (value.isPresent() && raw.isPresent()) {
      throw new BadRequestException("give a secret either value or rawValue, not both");
    }
    String base64 = raw.orElseGet(() -> Base64.getEncoder().encodeToString(
        value.orElseThrow(() -> new BadRequestException("a secret needs a value (text) or rawValue (base64)"))
            .getBytes(StandardCharsets.UTF_8)));
    return named(body).put("value_base64", base64);
  }
}
