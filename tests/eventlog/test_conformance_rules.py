"""``reports.conformance.check_trace``: pure, over event tuples; no database."""

from reports.conformance import check_trace

# Stage 0: step 1; stage 1: steps 2 and 3 in parallel; stage 2: step 4.
STEPS = {1: 0, 2: 1, 3: 1, 4: 2}
REG = ("registered", None, "processing")
RETURNED = ("result_returned", None, "returned")


def approve(step, to="processing"):
    return ("approved", step, to)


def kinds(events, final="returned"):
    return [d.kind for d in check_trace(STEPS, events, final_status=final)]


HEALTHY = [REG, approve(1), approve(3), approve(2), approve(4, "result_ready"), RETURNED]


def test_a_healthy_trace_has_no_deviation():
    assert kinds(HEALTHY) == []


def test_claims_releases_and_reassignments_do_not_count_as_decisions():
    events = [REG, ("claimed", 1, "processing"), ("released", 1, "processing"), *HEALTHY[1:]]
    assert kinds(events) == []


def test_send_back_then_the_stage_again_is_healthy():
    events = [REG, approve(1), ("sent_back", 2, "processing"), approve(1), *HEALTHY[2:]]
    assert kinds(events) == []


def test_supplement_requested_and_received_is_healthy():
    events = [
        REG,
        ("supplement_requested", 1, "waiting_supplement"),
        ("supplement_received", None, "processing"),
        *HEALTHY[1:],
    ]
    assert kinds(events) == []


def test_a_dossier_still_waiting_is_not_a_pause_without_resume():
    events = [REG, ("supplement_requested", 1, "waiting_supplement")]
    assert kinds(events, final="waiting_supplement") == []
    assert kinds([*events, ("withdrawn", None, "withdrawn")], final="withdrawn") == []


def test_a_skipped_stage_is_detected():
    events = [REG, approve(1), approve(4, "result_ready"), RETURNED]
    assert kinds(events) == ["step_skipped"]


def test_a_result_before_the_last_stage_is_a_skipped_step():
    assert kinds([REG, approve(1, "result_ready"), RETURNED]) == ["step_skipped"]


def test_a_stage_ended_twice_is_detected():
    events = [REG, approve(1), approve(1), approve(2), approve(3), approve(4, "result_ready")]
    assert kinds(events) == ["stage_ended_twice"]


def test_the_same_parallel_step_approved_twice_is_detected():
    events = [REG, approve(1), approve(2), approve(2), approve(3), approve(4, "result_ready")]
    assert kinds(events) == ["stage_ended_twice"]


def test_a_pause_without_resume_is_detected():
    events = [REG, ("supplement_requested", 1, "waiting_supplement"), approve(1)]
    assert kinds(events, final="processing") == ["decision_while_paused", "pause_without_resume"]


def test_a_resume_without_pause_is_detected():
    events = [REG, ("supplement_received", None, "processing"), *HEALTHY[1:]]
    assert kinds(events) == ["resume_without_pause"]


def test_two_requests_without_a_resume_in_between_are_detected():
    events = [
        REG,
        ("supplement_requested", 1, "waiting_supplement"),
        ("supplement_requested", 1, "waiting_supplement"),
    ]
    assert "decision_while_paused" in kinds(events, final="waiting_supplement")


def test_the_next_stage_before_all_parallel_steps_is_detected():
    events = [REG, approve(1), approve(2), approve(4, "result_ready"), RETURNED]
    assert kinds(events) == ["finish_before_parallel"]


def test_a_finish_on_a_parallel_last_stage_before_its_other_step_is_detected():
    steps = {1: 0, 2: 1, 3: 1}
    events = [REG, approve(1), approve(2, "result_ready"), RETURNED]
    assert [d.kind for d in check_trace(steps, events, final_status="returned")] == ["finish_before_parallel"]


def test_the_deviation_names_the_event_and_the_step():
    [deviation] = check_trace(
        STEPS, [REG, approve(1), approve(4, "result_ready")], final_status="result_ready"
    )
    assert (deviation.position, deviation.step_id) == (2, 4)
