package io.lockstep.steps;

import io.lockstep.engine.model.StepContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code matches} and {@code show} arguments of the steps that check an environment before an
 * upgrade (a container's, a workload's): each variable must be set and match its regex. Values are
 * never logged or put in outputs unless named in {@code show}: a connection string holds a
 * password. Every variable is checked, and the failure names all that are missing or do not match.
 */
public final class EnvRules {

  private final Map<String, Pattern> rules;
  private final List<String> show;

  private EnvRules(Map<String, Pattern> rules, List<String> show) {
    this.rules = rules;
    this.show = show;
  }

  /**
   * Reads {@code matches} (required, at least one variable) and {@code show}.
   *
   * @param step the step as messages name it: {@code assertContainerEnv 'dialect'}
   * @throws IllegalArgumentException when {@code matches} is empty or holds a bad regex
   */
  public static EnvRules of(String step, Map<String, Object> args) {
    Map<String, Pattern> rules = new LinkedHashMap<>();
    StepArgs.map(args, "matches")
        .forEach(
            (variable, regex) ->
                rules.put(
                    String.valueOf(variable),
                    StepArgs.pattern(step + ": matches." + variable, String.valueOf(regex))));
    if (rules.isEmpty()) {
      throw new IllegalArgumentException(
          step + ": matches names no variable: give at least one NAME: 'regex'");
    }
    List<String> show = StepArgs.list(args, "show").stream().map(String::valueOf).toList();
    return new EnvRules(rules, show);
  }

  /** The variables checked, in the order given. */
  public List<String> names() {
    return List.copyOf(rules.keySet());
  }

  /** Each variable's regex, for the plan. */
  public Map<String, String> patterns() {
    Map<String, String> patterns = new LinkedHashMap<>();
    rules.forEach((variable, regex) -> patterns.put(variable, regex.pattern()));
    return patterns;
  }

  /** The variables whose values may appear in logs and outputs. */
  public List<String> show() {
    return show;
  }

  /**
   * Checks {@code env}, logging each match.
   *
   * @param subject what has the environment, for the failure: {@code container tyk-portal}
   * @param unreadable variables that are set but whose value cannot be read here, with why
   * @return the outputs {@code checked} (the names) and {@code values} (the shown ones)
   * @throws StepFailedException naming every variable missing, unreadable or not matching
   */
  public Map<String, Object> check(
      StepContext ctx, String subject, Map<String, String> env, Map<String, String> unreadable) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> shown = new LinkedHashMap<>();
    rules.forEach(
        (variable, regex) -> {
          String value = env.get(variable);
          String quoted = show.contains(variable) ? " ('" + value + "')" : "";
          if (value == null) {
            String why = unreadable.get(variable);
            problems.add(variable + (why == null ? " is not set" : " " + why));
          } else if (!regex.matcher(value).find()) {
            problems.add(variable + quoted + " does not match /" + regex.pattern() + "/");
          } else {
            ctx.log(variable + quoted + " matches /" + regex.pattern() + "/");
          }
          if (value != null && show.contains(variable)) {
            shown.put(variable, value);
          }
        });
    if (!problems.isEmpty()) {
      throw new StepFailedException(subject + " environment: " + String.join("; ", problems));
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("checked", names());
    outputs.put("values", shown);
    return outputs;
  }
}
