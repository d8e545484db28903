package io.lockstep.cli;

import io.lockstep.cli.Terminal.Symbol;
import io.lockstep.dsl.PlaybookException;
import io.lockstep.dsl.PlaybookLoader;
import io.lockstep.engine.Plan;
import io.lockstep.engine.model.Playbook;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code lockstep validate}: compiles and checks a playbook with an environment; runs nothing. */
@Command(
    name = "validate",
    description = "Check a playbook and its environment; report every problem. Runs nothing.")
final class ValidateCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Mixin PlaybookArgs args;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    args.requirePlaybook();
    Terminal t = main.terminal();
    Playbook playbook;
    try {
      playbook = PlaybookLoader.create().load(args.playbook, args.environmentFile(), args.params);
    } catch (PlaybookException invalid) {
      if (!json) {
        throw invalid;
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("valid", false);
      result.put("problems", invalid.problems());
      t.out().println(Json.line(result));
      return ExitCode.INVALID_INPUT;
    }
    int steps = Plan.of(playbook).steps().size();
    if (json) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("valid", true);
      result.put("playbook", playbook.name());
      result.put("environment", playbook.environment());
      result.put("steps", steps);
      result.put("problems", List.of());
      t.out().println(Json.line(result));
    } else {
      t.out()
          .println(
              t.sym(Symbol.OK)
                  + " "
                  + args.playbook
                  + " is valid: "
                  + playbook.name()
                  + " @ "
                  + playbook.environment()
                  + ", "
                  + steps
                  + (steps == 1 ? " step" : " steps"));
    }
    return ExitCode.OK;
  }
}
