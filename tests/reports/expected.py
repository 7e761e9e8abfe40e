"""Form II.06a for the July 2026 scenario, counted by hand from the comments in ``scenario.py``."""

AGENCY_A = {
    "received_total": 12,  # 3 online + 6 direct + 3 carried over
    "received_online": 3,  # 1, 5, 14
    "received_direct": 6,  # in person 3b, 7, 9, 17 + postal 6, 16
    "carried_over": 3,  # 2, 4, 8 (not 10: withdrawn in June; 12 refused; 13 finished in June)
    "resolved_total": 4,  # 1, 2, 7, 8
    "resolved_early": 1,  # 1
    "resolved_on_time": 1,  # 2
    "resolved_late": 2,  # 7, 8
    "in_progress_total": 6,  # 3b, 4, 5, 6, 14, 17
    "in_progress_within_due": 4,  # 3b, 5 (paused before due), 14, 17
    "in_progress_overdue": 2,  # 4, 6 (paused after its due time)
    "received_in_person": 4,
    "received_postal": 2,
    "rejected": 1,  # 11
    "withdrawn": 2,  # 9 (event), 16 (updated_at)
    "resolved_refused": 1,  # 7
    "waiting_supplement": 2,  # 5, 6
    "late_with_apology": 1,  # 7
    "late_without_apology": 1,  # 8
}

AGENCY_B = {
    "received_total": 3,
    "received_online": 1,  # 18
    "received_direct": 1,  # 19
    "carried_over": 1,  # 20
    "resolved_total": 2,  # 18, 20
    "resolved_early": 0,
    "resolved_on_time": 1,  # 18 (23:30 on the last day)
    "resolved_late": 1,  # 20
    "in_progress_total": 1,  # 19 (finished at the end instant)
    "in_progress_within_due": 0,
    "in_progress_overdue": 1,  # 19
    "received_in_person": 1,
    "received_postal": 0,
    "rejected": 0,
    "withdrawn": 0,
    "resolved_refused": 0,
    "waiting_supplement": 0,
    "late_with_apology": 1,  # 20
    "late_without_apology": 0,
}

TOTALS = {
    "received_total": 15,
    "received_online": 4,
    "received_direct": 7,
    "carried_over": 4,
    "resolved_total": 6,
    "resolved_early": 1,
    "resolved_on_time": 2,
    "resolved_late": 3,
    "in_progress_total": 7,
    "in_progress_within_due": 4,
    "in_progress_overdue": 3,
    "received_in_person": 5,
    "received_postal": 2,
    "rejected": 1,
    "withdrawn": 2,
    "resolved_refused": 1,
    "waiting_supplement": 2,
    "late_with_apology": 2,
    "late_without_apology": 1,
}

FIELD_F1 = {  # procedure PA only
    "received_total": 10,
    "received_online": 3,
    "received_direct": 5,
    "carried_over": 2,  # 2, 4
    "resolved_total": 2,
    "resolved_early": 1,
    "resolved_on_time": 1,
    "resolved_late": 0,
    "in_progress_total": 6,
    "in_progress_within_due": 4,
    "in_progress_overdue": 2,
    "received_in_person": 3,
    "received_postal": 2,
    "rejected": 1,
    "withdrawn": 2,
    "resolved_refused": 0,
    "waiting_supplement": 2,
    "late_with_apology": 0,
    "late_without_apology": 0,
}

FIELD_F2 = {  # PA2 (7, 8) and PB (18, 19, 20)
    "received_total": 5,
    "received_online": 1,
    "received_direct": 2,
    "carried_over": 2,
    "resolved_total": 4,
    "resolved_early": 0,
    "resolved_on_time": 1,
    "resolved_late": 3,
    "in_progress_total": 1,
    "in_progress_within_due": 0,
    "in_progress_overdue": 1,
    "received_in_person": 2,
    "received_postal": 0,
    "rejected": 0,
    "withdrawn": 0,
    "resolved_refused": 1,
    "waiting_supplement": 0,
    "late_with_apology": 2,
    "late_without_apology": 1,
}
