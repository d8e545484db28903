package io.lockstep.engine.report;

import io.lockstep.engine.RunStatus;
import io.lockstep.engine.RunView;
import io.lockstep.engine.RunView.Compensated;
import io.lockstep.engine.RunView.State;
import io.lockstep.engine.RunView.StepView;
import io.lockstep.engine.model.Compensation;
import io.lockstep.engine.spi.JournalRecord;
import io.lockstep.engine.spi.RecordType;
import io.lockstep.engine.spi.RunHeader;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What a report says, computed once from the run's view; the renderers only format it. */
final class ReportModel {

  final RunView view;
  final RunHeader header;
  final List<StepRow> steps = new ArrayList<>();
  final List<String> compensated = new ArrayList<>();
  final List<Remaining> notUndone = new ArrayList<>();
  final List<String> nothingToUndo = new ArrayList<>();
  final List<Failure> failures = new ArrayList<>();
  final boolean rollbackRan;

  ReportModel(RunView view, Map<String, Compensation> compensations) {
    this.view = view;
    this.header = view.header();
    Map<String, String> compensationErrors = new LinkedHashMap<>();
    boolean rollback = false;
    for (JournalRecord record : view.records()) {
      if (record.type() == RecordType.ROLLBACK_STARTED) {
        rollback = true;
      } else if (record.type() == RecordType.COMPENSATION_FINISHED
          && !compensated.contains(record.stepId())) {
        compensated.add(record.stepId());
      } else if (record.type() == RecordType.COMPENSATION_FAILED) {
        compensationErrors.put(record.stepId(), record.text("error"));
      }
    }
    this.rollbackRan = rollback;
    for (StepView step : view.steps()) {
      steps.add(new StepRow(step));
      if (step.state() == State.FAILED) {
        failures.add(new Failure(step.stepId(), "failed", step.error()));
      }
      if (step.compensated() == Compensated.FAILED) {
        failures.add(
            new Failure(
                step.stepId(), "compensation failed", compensationErrors.get(step.stepId())));
      }
      if (step.state() == State.FINISHED && step.compensated() != Compensated.DONE) {
        classify(step, compensations.get(step.stepId()), compensationErrors);
      }
    }
  }

  private void classify(StepView step, Compensation compensation, Map<String, String> errors) {
    if (compensation != null && compensation.kind() == Compensation.Kind.NONE) {
      nothingToUndo.add(step.stepId());
      return;
    }
    if (!undoExpected()) {
      return;
    }
    String why;
    if (compensation != null && compensation.kind() == Compensation.Kind.IRREVERSIBLE) {
      why = "irreversible: " + compensation.description();
    } else if (compensation != null && compensation.kind() == Compensation.Kind.UNDECLARED) {
      why = "no undo declared";
    } else if (step.compensated() == Compensated.FAILED) {
      String error = errors.get(step.stepId());
      why = "compensation failed" + (error == null ? "" : ": " + error);
    } else if (step.compensated() == Compensated.STARTED) {
      why = "compensation started and did not finish";
    } else if (!rollbackRan) {
      why = "not rolled back";
    } else {
      why = "not compensated";
    }
    notUndone.add(new Remaining(step.stepId(), why));
  }

  /** Whether the run's outcome means its effects should have been (or should be) undone. */
  boolean undoExpected() {
    return rollbackRan
        || view.status() == RunStatus.FAILED
        || view.status() == RunStatus.ROLLED_BACK
        || view.status() == RunStatus.COMPENSATION_FAILED;
  }

  String title() {
    return header.playbook() + "@" + header.environment() + " — run " + header.runId();
  }

  String status() {
    return view.status().display();
  }

  String duration() {
    return duration(header.startedAt(), view.updatedAt());
  }

  static String time(Instant at) {
    return at == null ? "-" : at.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static String duration(Instant from, Instant to) {
    if (from == null || to == null) {
      return "-";
    }
    long millis = Math.max(0, Duration.between(from, to).toMillis());
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    long s = millis / 1000;
    return s < 3600
        ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60)
        : String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }

  /** A value as one line: strings as they are, lists and maps in a JSON-like form. */
  static String value(Object value) {
    if (value instanceof Map<?, ?> map) {
      List<String> parts = new ArrayList<>();
      map.forEach((k, v) -> parts.add(k + ": " + value(v)));
      return "{" + String.join(", ", parts) + "}";
    }
    if (value instanceof List<?> list) {
      return "[" + String.join(", ", list.stream().map(ReportModel::value).toList()) + "]";
    }
    return String.valueOf(value);
  }

  /** One step of the run. */
  record StepRow(StepView step) {
    String id() {
      return step.stepId();
    }

    /** The target, written after {@code @} in the ids of per-target steps. */
    String target() {
      int at = step.stepId().lastIndexOf('@');
      return at < 0 ? "" : step.stepId().substring(at + 1);
    }

    String state() {
      return step.state().name().toLowerCase(Locale.ROOT);
    }

    String undo() {
      return switch (step.compensated()) {
        case NO -> "-";
        case STARTED -> "started";
        case DONE -> "undone";
        case FAILED -> "FAILED";
      };
    }

    String duration() {
      return ReportModel.duration(step.startedAt(), step.finishedAt());
    }
  }

  /** A finished step whose effect is still in place, and why. */
  record Remaining(String stepId, String reason) {}

  /** A step or compensation that failed. */
  record Failure(String stepId, String what, String error) {}
}
