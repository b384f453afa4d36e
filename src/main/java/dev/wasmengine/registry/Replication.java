package dev.wasmengine.registry;

import dev.wasmengine.bus.FunctionRef;
import dev.wasmengine.error.UnavailableException;
import dev.wasmengine.store.FunctionRecord;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * How the registry shares function changes with the other engines of a cluster. On a single
 * engine there is nobody to share with: {@link #SINGLE_NODE} agrees to every change at once.
 */
public interface Replication {

  /** The revision a change of a function gets: higher than the one it replaces. */
  long nextRevision(Optional<FunctionRecord> current);

  /**
   * Makes a change the cluster's before this node stores it, or fails CONFLICT when another node
   * changed the function first.
   *
   * @param current  what this node holds now (empty: the function is new here)
   * @param next     the new record, or empty for a delete
   * @param revision the change's revision (the new record's, or the delete's)
   */
  Future<Void> claim(FunctionRef ref, Optional<FunctionRecord> current, Optional<FunctionRecord> next, long revision);

  /** After the change is stored here: completes once the other nodes hold it too, or after a bounded wait. */
  Future<Void> settle(FunctionRef ref, long revision);

  /** The module of a function another node deployed, by its digest (verified by the caller). */
  Future<byte[]> module(FunctionRecord record);

  /** Whether this node keeps warm instances of the function (its placement constraints allow it). */
  boolean placedHere(FunctionRecord record);

  Replication SINGLE_NODE = new Replication() {
    @Override
    public long nextRevision(Optional<FunctionRecord> current) {
      return 0;
    }

    @Override
    public Future<Void> claim(FunctionRef ref, Optional<FunctionRecord> current, Optional<FunctionRecord> next,
        long revision) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> settle(FunctionRef ref, long revision) {
      return Future.succeededFuture();
    }

    @Override
    public Future<byte[]> module(FunctionRecord record) {
      return Future.failedFuture(new UnavailableException("no other node to fetch module " + record.digest() + " from"));
    }

    @Override
    public boolean placedHere(FunctionRecord record) {
      return true;
    }
  };
}
