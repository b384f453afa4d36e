package dev.wasmengine.store;

import dev.wasmengine.error.BadRequestException;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a function may run in a cluster: the OpenFaaS {@code constraints} of its deployment, each
 * {@code key==value}, {@code key=value} or {@code key!=value}, all of which a node's labels must
 * satisfy. No constraints: every node.
 */
public record PlacementConstraints(List<Rule> rules) {
  private static final Pattern RULE = Pattern.compile("\\s*([A-Za-z0-9][A-Za-z0-9._/-]*)\\s*(==|!=|=)\\s*(\\S*)\\s*");

  public static final PlacementConstraints ANYWHERE = new PlacementConstraints(List.of());

  /** One label test. */
  public record Rule(String key, boolean equal, String value) {
    boolean matches(Map<String, String> labels) {
      return Objects.equals(labels.get(key), value) == equal;
    }

    @Override
    public String toString() {
      return key + (equal ? "==" : "!=") + value;
    }
  }

  public PlacementConstraints {
    rules = List.copyOf(rules);
  }

  /** Reads the constraints of a deployment; a malformed one is a 400 that quotes it. */
  public static PlacementConstraints parse(JsonArray constraints) {
    if (constraints == null || constraints.isEmpty()) {
      return ANYWHERE;
    }
    List<Rule> rules = new ArrayList<>();
    for (Object constraint : constraints) {
      Matcher matcher = constraint instanceof String text ? RULE.matcher(text) : null;
      if (matcher == null || !matcher.matches()) {
        throw new BadRequestException("constraint " + constraint + " is not key==value, key=value or key!=value");
      }
      rules.add(new Rule(matcher.group(1), !matcher.group(2).equals("!="), matcher.group(3)));
    }
    return new PlacementConstraints(rules);
  }

  public static PlacementConstraints of(FunctionOptions options) {
    return parse(options.deployment().getJsonArray("constraints"));
  }

  public boolean allows(Map<String, String> nodeLabels) {
    return rules.stream().allMatch(rule -> rule.matches(nodeLabels));
  }

  @Override
  public String toString() {
    return rules.isEmpty() ? "none" : rules.toString();
  }
}
