package dev.wasmengine.registry;

import dev.wasmengine.bus.Addresses;
import dev.wasmengine.bus.FunctionNames;
import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.bus.JsonFields;
import dev.wasmengine.bus.Local;
import dev.wasmengine.error.BadRequestException;
import dev.wasmengine.error.ConflictException;
import dev.wasmengine.error.LimitExceededException;
import dev.wasmengine.error.NotFoundException;
import dev.wasmengine.store.FunctionRecord;
import dev.wasmengine.store.FunctionStore;
import dev.wasmengine.store.SecretStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The registry's namespace and secret requests. Changes run as the registry's ordered store
 * tasks, so they interleave safely with deploys (a secret cannot vanish between a deploy's check
 * and its save, a namespace cannot be removed under a deploy into it).
 */
final class NamespacesAndSecrets {
  private static final Logger LOG = Logger.getLogger(NamespacesAndSecrets.class.getName());
  /** As Kubernetes bounds a secret: larger values belong in a module or an image, not here. */
  static final int MAX_SECRET_BYTES = 1024 * 1024;

  /** Runs a store task after every store task asked for before it. */
  interface Ordered {
    <T> Future<T> run(Callable<T> task);
  }

  private final Vertx vertx;
  private final FunctionStore store;
  private final SecretStore secrets;
  private final Supplier<Collection<FunctionRecord>> functions;
  private final Ordered ordered;

  NamespacesAndSecrets(Vertx vertx, FunctionStore store, SecretStore secrets,
      Supplier<Collection<FunctionRecord>> functions, Ordered ordered) {
    this.vertx = vertx;
    this.store = store;
    this.secrets = secrets;
    this.functions = functions;
    this.ordered = ordered;
  }

  void register(BiConsumer<String, Function<JsonObject, Future<JsonObject>>> consume) {
    consume.accept(Addresses.NAMESPACES, body -> ordered.run(() ->
        new JsonObject().put("namespaces", new JsonArray(List.copyOf(store.namespaces())))));
    consume.accept(Addresses.NAMESPACE_CREATE, this::createNamespace);
    consume.accept(Addresses.NAMESPACE_QUERY, this::queryNamespace);
    consume.accept(Addresses.NAMESPACE_DELETE, this::deleteNamespace);
    consume.accept(Addresses.SECRETS, this::listSecrets);
    consume.accept(Addresses.SECRET_CREATE, body -> putSecret(body, false));
    consume.accept(Addresses.SECRET_UPDATE, body -> putSecret(body, true));
    consume.accept(Addresses.SECRET_DELETE, this::deleteSecret);
  }

  private Future<JsonObject> createNamespace(JsonObject body) {
    String namespace = namespace(body, true);
    return ordered.run(() -> new JsonObject().put("namespace", namespace).put("created", store.createNamespace(namespace)));
  }

  private Future<JsonObject> queryNamespace(JsonObject body) {
    String namespace = namespace(body, true);
    return ordered.run(() -> {
      requireNamespace(namespace);
      return new JsonObject().put("namespace", namespace);
    });
  }

  /** Only an empty namespace goes: removing one must not take functions or secrets with it. */
  private Future<JsonObject> deleteNamespace(JsonObject body) {
    String namespace = namespace(body, true);
    if (namespace.equals(FunctionRef.DEFAULT_NAMESPACE)) {
      return Future.failedFuture(new BadRequestException("the default namespace " + namespace + " cannot be deleted"));
    }
    return ordered.run(() -> {
      requireNamespace(namespace);
      List<String> held = functionsIn(namespace);
      if (!held.isEmpty()) {
        throw new ConflictException("namespace " + namespace + " still holds function(s) " + String.join(", ", held));
      }
      List<String> secretNames = secrets.names(namespace);
      if (!secretNames.isEmpty()) {
        throw new ConflictException("namespace " + namespace + " still holds secret(s) " + String.join(", ", secretNames));
      }
      store.deleteNamespace(namespace);
      LOG.info(() -> "deleted namespace " + namespace);
      return new JsonObject().put("namespace", namespace);
    });
  }

  private Future<JsonObject> listSecrets(JsonObject body) {
    String namespace = namespace(body, false);
    return ordered.run(() -> {
      JsonArray list = new JsonArray();
      secrets.names(namespace).forEach(name -> list.add(new JsonObject().put("name", name).put("namespace", namespace)));
      return new JsonObject().put("secrets", list);
    });
  }

  /**
   * Creates ({@code existing=false}) or replaces a secret. Functions naming a replaced secret are
   * told they changed, so their next instances read the new value.
   */
  private Future<JsonObject> putSecret(JsonObject body, boolean existing) {
    String namespace = namespace(body, false);
    String name = secretName(body);
    byte[] value = value(body);
    return ordered.run(() -> {
      boolean exists = secrets.exists(namespace, name);
      if (existing && !exists) {
        throw new NotFoundException("secret " + name + " does not exist in namespace " + namespace);
      }
      if (!existing && exists) {
        throw new ConflictException("secret " + name + " already exists in namespace " + namespace + "; update it");
      }
      store.createNamespace(namespace);
      secrets.put(namespace, name, value);
      return new JsonObject().put("name", name).put("namespace", namespace);
    }).onSuccess(done -> {
      if (existing) {
        users(namespace, name).forEach(ref ->
            vertx.eventBus().publish(Addresses.FUNCTION_CHANGED, ref.toJson().put("change", "updated"),
                Local.delivery()));
      }
    });
  }

  private Future<JsonObject> deleteSecret(JsonObject body) {
    String namespace = namespace(body, false);
    String name = secretName(body);
    return ordered.run(() -> {
      if (!secrets.exists(namespace, name)) {
        throw new NotFoundException("secret " + name + " does not exist in namespace " + namespace);
      }
      List<String> users = users(namespace, name).stream().map(FunctionRef::name).toList();
      if (!users.isEmpty()) {
        throw new ConflictException("secret " + name + " is used by function(s) " + String.join(", ", users)
            + "; update or delete them first");
      }
      secrets.delete(namespace, name);
      return new JsonObject().put("name", name).put("namespace", namespace);
    });
  }

  private List<FunctionRef> users(String namespace, String secret) {
    return functions.get().stream()
        .filter(record -> record.namespace().equals(namespace) && record.options().secrets().contains(secret))
        .map(FunctionRecord::ref)
        .sorted(java.util.Comparator.comparing(FunctionRef::name))
        .toList();
  }

  private List<String> functionsIn(String namespace) {
    return functions.get().stream()
        .filter(record -> record.namespace().equals(namespace))
        .map(FunctionRecord::name)
        .sorted()
        .toList();
  }

  private void requireNamespace(String namespace) throws java.io.IOException {
    if (!store.namespaces().contains(namespace)) {
      throw new NotFoundException("namespace " + namespace + " does not exist");
    }
  }

  private static String namespace(JsonObject body, boolean required) {
    java.util.Optional<String> given = JsonFields.optionalString(body, "namespace").filter(ns -> !ns.isEmpty());
    if (given.isEmpty() && required) {
      throw new BadRequestException("missing field namespace (a string)");
    }
    String namespace = given.orElse(FunctionRef.DEFAULT_NAMESPACE);
    if (!FunctionNames.isValid(namespace)) {
      throw new BadRequestException("namespace \"" + namespace + "\" must be " + FunctionNames.RULE);
    }
    return namespace;
  }

  private static String secretName(JsonObject body) {
    String name = JsonFields.requiredString(body, "name");
    if (!FunctionNames.isValid(name)) {
      throw new BadRequestException("secret name \"" + name + "\" must be " + FunctionNames.RULE);
    }
    return name;
  }

  private static byte[] value(JsonObject body) {
    byte[] value;
    try {
      value = Base64.getDecoder().decode(JsonFields.requiredString(body, "value_base64"));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("field value_base64 is not valid base64");
    }
    if (value.length > MAX_SECRET_BYTES) {
      throw new LimitExceededException("a secret holds at most " + MAX_SECRET_BYTES + " bytes; this one has " + value.length);
    }
    return value;
  }
}
