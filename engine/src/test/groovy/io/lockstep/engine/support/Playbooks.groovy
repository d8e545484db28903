package io.lockstep.engine.support

import io.lockstep.engine.model.Action
import io.lockstep.engine.model.Compensation
import io.lockstep.engine.model.Group
import io.lockstep.engine.model.Node
import io.lockstep.engine.model.Playbook
import io.lockstep.engine.model.Step

/**
 * Builds playbooks for specs. Every step and compensation appends to {@link #trace}, so a spec can
 * assert the exact order things ran in.
 */
class Playbooks {

    final List<String> trace = [].asSynchronized()

    /** A step that records "do ID" and returns {@code [done: ID]}. */
    Step.Builder step(String id) {
        Step.builder(id, { ctx -> trace << "do ${id}".toString(); [done: id] } as Action)
            .compensation(undo(id))
    }

    /** A step that records "do ID" and then fails. */
    Step.Builder failing(String id, String message = "${id} broke") {
        Step.builder(id, { ctx -> trace << "do ${id}".toString(); throw new IllegalStateException(message) } as Action)
            .compensation(undo(id))
    }

    Compensation undo(String id) {
        Compensation.of("undo ${id}", { ctx -> trace << "undo ${id}".toString(); [:] } as Action)
    }

    static Group seq(String id, Node... children) {
        new Group(id, id, Group.Kind.SEQUENCE, children.toList())
    }

    static Playbook playbook(Node... children) {
        Playbook.of('spec', 'test', new Group('', '', Group.Kind.SEQUENCE, children.toList()))
    }

    static Playbook playbook(String fingerprint, Node... children) {
        new Playbook('spec', 'test', new Group('', '', Group.Kind.SEQUENCE, children.toList()),
            [:], [:], [], new Playbook.Source(null, null, fingerprint), null)
    }
}
