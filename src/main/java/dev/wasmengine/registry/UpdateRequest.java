package dev.wasmengine.registry;

import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.bus.JsonFields;
import dev.wasmengine.error.BadRequestException;
import dev.wasmengine.runtime.ExecutionModel;
import dev.wasmengine.runtime.FunctionKind;
import dev.wasmengine.store.FunctionOptions;
import dev.wasmengine.store.FunctionRecord;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * An update of a deployed function: the deploy fields, all optional but the name. Without
 * {@code function_image} the function's own reference is pulled again (a moved tag brings the
 * new module). With {@code replace: false} (the original API) every field left out keeps the
 * function's current value; with {@code replace: true} (OpenFaaS's PUT, which sends the whole
 * deployment) the options are exactly the ones sent, except the warm instances a scale set.
 */
record UpdateRequest(FunctionRef ref, Optional<String> image, Optional<FunctionKind> kind,
    Optional<FunctionKind> wasiDefault,
    Optional<ExecutionModel> executionModel, FunctionOptions options, boolean replace) {

  static UpdateRequest fromJson(JsonObject body) {
    FunctionRef ref = FunctionRef.from(body);
    Optional<String> image = JsonFields.optionalString(body, "function_image");
    if (image.isPresent() && image.get().isBlank()) {
      throw new BadRequestException("field function_image must not be empty");
    }
    return new UpdateRequest(ref, image, DeployRequest.kind(body),
        JsonFields.optionalString(body, "wasi_default").map(text -> DeployRequest.wasiDefault(body)),
        DeployRequest.executionModel(body), DeployRequest.options(body),
        JsonFields.optionalBoolean(body, "replace").orElse(false));
  }

  /** The deploy this update amounts to for the function as it is now. */
  DeployRequest against(FunctionRecord current) {
    FunctionOptions currentOptions = current.options();
    FunctionOptions merged = replace
        ? currentOptions.replicas().map(options::withReplicas).orElse(options)
        : options.orElse(currentOptions);
    // The new module's kind is detected again unless named; a WASI command keeps its convention.
    FunctionKind wasiKind = wasiDefault.orElse(current.kind().wasi() ? current.kind() : FunctionKind.COMMAND);
    return new DeployRequest(ref, image.orElse(current.image()), kind, wasiKind,
        Optional.of(executionModel.orElse(current.executionModel())), merged);
  }
}
