package dev.wasmengine.registry;

import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.error.BadRequestException;
import dev.wasmengine.store.FunctionRecord;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * One change of a function as a cluster agrees to it: the record it now has, or none when it
 * was deleted (a tombstone, kept so that a node coming back with the old record cannot revive it).
 */
public record ReplicatedChange(FunctionRef ref, long revision, Optional<FunctionRecord> record) {

  public static ReplicatedChange of(FunctionRecord record) {
    return new ReplicatedChange(record.ref(), record.revision(), Optional.of(record));
  }

  public static ReplicatedChange deleted(FunctionRef ref, long revision) {
    return new ReplicatedChange(ref, revision, Optional.empty());
  }

  public boolean isDelete() {
    return record.isEmpty();
  }

  /** {@code {function_name, namespace, revision, record?}}. */
  public JsonObject toJson() {
    JsonObject json = ref.toJson().put("revision", revision);
    record.ifPresent(function -> json.put("record", function.toJson()));
    return json;
  }

  public static ReplicatedChange fromJson(JsonObject json) {
    FunctionRef ref = FunctionRef.from(json);
    Long revision = json.getLong("revision");
    if (revision == null) {
      throw new BadRequestException("a replicated change needs its revision");
    }
    JsonObject record = json.getJsonObject("record");
    if (record == null) {
      return deleted(ref, revision);
    }
    FunctionRecord function;
    try {
      function = FunctionRecord.fromJson(record);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(e.getMessage());
    }
    if (!function.ref().equals(ref) || function.revision() != revision) {
      throw new BadRequestException("a replicated record must match its change's function and revision");
    }
    return new ReplicatedChange(ref, revision, Optional.of(function));
  }
}
