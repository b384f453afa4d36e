package dev.wasmengine.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmengine.error.BadRequestException;
import io.vertx.core.json.JsonArray;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlacementConstraintsTest {
  private static final Map<String, String> EDGE_NODE = Map.of("node.name", "edge-1", "tier", "edge",
      "node.platform.os", "linux");

  private static PlacementConstraints parse(String... constraints) {
    JsonArray list = new JsonArray();
    for (String constraint : constraints) {
      list.add(constraint);
    }
    return PlacementConstraints.parse(list);
  }

  @Test
  void no_constraints_allow_every_node() {
    assertTrue(PlacementConstraints.parse(null).allows(Map.of()));
    assertTrue(parse().allows(EDGE_NODE));
  }

  @Test
  void every_constraint_must_hold_in_each_of_the_three_forms() {
    assertTrue(parse("tier==edge", "node.platform.os = linux").allows(EDGE_NODE));
    assertTrue(parse("node.name != edge-2").allows(EDGE_NODE));
    assertFalse(parse("tier==edge", "node.name==edge-2").allows(EDGE_NODE));
    assertFalse(parse("tier != edge").allows(EDGE_NODE));
    assertFalse(parse("region == eu").allows(EDGE_NODE), "a label the node lacks is not equal to anything");
    assertTrue(parse("region != eu").allows(EDGE_NODE));
  }

  @ParameterizedTest
  @ValueSource(strings = {"tier", "tier ~ edge", "== edge", "tier == edge extra", ""})
  void a_malformed_constraint_is_a_bad_request_that_quotes_it(String constraint) {
    BadRequestException refused = assertThrows(BadRequestException.class, () -> parse(constraint));
    assertTrue(refused.getMessage().contains("constraint " + constraint), refused.getMessage());
  }

  @Test
  void a_constraint_that_is_not_a_string_is_refused() {
    assertThrows(BadRequestException.class, () -> PlacementConstraints.parse(new JsonArray().add(3)));
  }
}
