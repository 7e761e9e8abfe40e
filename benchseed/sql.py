"""The set-based statements of ``seed_bench`` (PostgreSQL), one batch of dossiers at a time.

A batch is the dossiers ``BENCH-<lo>`` … ``BENCH-<hi>`` (``generate_series``); everything they
own is written in the same transaction, so an interrupted seed resumes at the first missing batch.
The temp tables ``seed_catalog`` and ``seed_steps`` (the demo catalog's procedures and steps) are
filled by ``benchseed.seeding`` before the first batch. Random draws are per row (``random()``
after ``setseed``); ``%(now)s`` is the snapshot: what is still open is open at that instant.
"""

DOSSIERS = """
INSERT INTO workflows_dossier (code, procedure_id, version_id, receiving_agency_id, applicant_kind,
    applicant_name, applicant_id_number, applicant_phone, applicant_email, applicant_address,
    channel, documents, status, current_stage, received_at, due_at, original_due_at, paused_at,
    finished_at, returned_at, result, verdict, reasons, extended, processing_hours, paused_hours,
    lookup_key_hash, created_at, updated_at, stage_count, withdrawn_at)
SELECT %(prefix)s || lpad(i::text, 8, '0'), procedure_id, version_id, agency_id,
    CASE WHEN u7 < 0.12 THEN 'organisation' ELSE 'person' END,
    'Người nộp ' || i, lpad(i::text, 12, '0'), '09' || lpad((i %% 100000000)::text, 8, '0'), '', '',
    channel, '[]', status,
    CASE WHEN status IN ('processing', 'waiting_supplement', 'withdrawn')
         THEN floor(u11 * stage_count)::int ELSE 0 END,
    received, CASE WHEN extended THEN due + interval '3 days' ELSE due END, due,
    CASE WHEN status = 'waiting_supplement' THEN LEAST(%(now)s::timestamptz - interval '1 hour',
         received + (%(now)s::timestamptz - received) / 2) END,
    CASE WHEN status IN ('returned', 'result_ready') THEN fin END,
    CASE WHEN status = 'returned' THEN fin + interval '2 hours' END,
    CASE WHEN status NOT IN ('returned', 'result_ready') THEN '' WHEN u6 < 0.97 THEN 'approved'
         ELSE 'refused' END,
    verdict, '[]', extended,
    CASE WHEN status IN ('returned', 'result_ready') THEN round((4 + u7 * 156)::numeric, 2) END,
    CASE WHEN status IN ('returned', 'result_ready') AND u5 < 0.06 THEN 8 + floor(u3 * 24) ELSE 0 END,
    -- The key printed on the receipt is benchmarks.province.lookup_key(code): sha256 of a derivation.
    encode(sha256(convert_to(upper(left(encode(sha256(convert_to(
        'bench-api:' || %(prefix)s || lpad(i::text, 8, '0'), 'UTF8')), 'hex'), 10)), 'UTF8')), 'hex'),
    received,
    CASE WHEN status = 'returned' THEN fin + interval '2 hours' WHEN status = 'result_ready' THEN fin
         WHEN status = 'withdrawn' THEN withdrawn ELSE received END,
    stage_count,
    CASE WHEN status = 'withdrawn' THEN withdrawn END
FROM (
    SELECT b.*,
        CASE WHEN status NOT IN ('returned', 'result_ready') THEN ''
             WHEN fin > due THEN 'late'
             WHEN (fin AT TIME ZONE 'Asia/Ho_Chi_Minh')::date = (due AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                  THEN 'on_time'
             ELSE 'early' END AS verdict,
        status IN ('returned', 'result_ready') AND fin > due AND u10 < 0.3 AS extended
    FROM (
        SELECT f.*,
            CASE WHEN u2 < 0.03 THEN 'rejected'
                 WHEN u2 < 0.05 AND received + interval '1 day' < %(now)s::timestamptz THEN 'withdrawn'
                 WHEN fin > %(now)s::timestamptz THEN
                     CASE WHEN u5 < 0.15 THEN 'waiting_supplement' ELSE 'processing' END
                 WHEN fin > %(now)s::timestamptz - interval '3 days' AND u5 < 0.5 THEN 'result_ready'
                 ELSE 'returned' END AS status,
            LEAST(%(now)s::timestamptz - interval '1 hour',
                  received + (1 + floor(u3 * 9)) * interval '1 day') AS withdrawn,
            CASE WHEN u9 < 0.45 THEN 'online' WHEN u10 < 0.8 THEN 'in_person' ELSE 'postal' END AS channel
        FROM (
            SELECT r.*, c.procedure_id, c.version_id, c.agency_id, c.stage_count, a.received,
                a.received + c.due_days * interval '1 day' AS due,
                -- most on time or early, a few percent late
                CASE WHEN u4 < 0.95 THEN a.received + (0.15 + 0.85 * u3) * c.due_days * interval '1 day'
                     ELSE a.received + c.due_days * interval '1 day' + (1 + floor(u3 * 9)) * interval '1 day'
                END AS fin
            FROM (
                SELECT i, random() u1, random() u2, random() u3, random() u4, random() u5, random() u6,
                       random() u7, random() u8, random() u9, random() u10, random() u11
                FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) i
            ) r
            JOIN seed_catalog c ON c.n = floor(r.u8 * %(ncat)s)::int
            CROSS JOIN LATERAL (
                SELECT %(now)s::timestamptz - r.u1 * %(span)s * interval '1 second' AS received
            ) a
        ) f
    ) b
) s
"""

BATCH = """
CREATE TEMP TABLE seed_batch ON COMMIT DROP AS
SELECT id, status, current_stage, stage_count, version_id, received_at, due_at, finished_at, verdict,
    paused_at, withdrawn_at, extended, original_due_at,
    CASE WHEN status IN ('processing', 'waiting_supplement') THEN %(now)s::timestamptz - interval '1 hour'
         WHEN status = 'withdrawn' THEN withdrawn_at
         ELSE finished_at END AS ended
FROM workflows_dossier
WHERE code BETWEEN %(first)s AND %(last)s AND status <> 'rejected'
"""

# One row per step a dossier went through: every step of a finished dossier; the stages up to
# the current one of an open (or withdrawn) dossier, the current stage open (or cancelled).
TASKS = """
CREATE TEMP TABLE seed_task ON COMMIT DROP AS
SELECT t.*, CASE WHEN t.status = 'open' THEN nextval('viewflow_task_id_seq') END AS flow_task_id
FROM (
    SELECT b.id AS dossier_id, b.status AS dossier_status, s.step_id, s.stage, s.agency_id, s.role, s.k,
        CASE WHEN s.stage < b.current_stage OR b.status NOT IN ('processing', 'waiting_supplement',
                  'withdrawn') OR b.status = 'waiting_supplement' THEN 'done'
             WHEN b.status = 'withdrawn' THEN 'cancelled' ELSE 'open' END AS status,
        b.received_at + (b.ended - b.received_at) * s.stage / (GREATEST(b.top, 0) + 1) AS created_at,
        b.received_at + (b.ended - b.received_at) * (s.stage + 1) / (GREATEST(b.top, 0) + 1) AS done_at,
        s.budget_hours
    FROM (
        SELECT sb.*, CASE WHEN status IN ('processing', 'waiting_supplement', 'withdrawn')
                          THEN current_stage ELSE stage_count - 1 END AS top
        FROM seed_batch sb
    ) b
    JOIN seed_steps s ON s.version_id = b.version_id AND s.stage <= b.top
) t
"""

PROCESSES = """
CREATE TEMP TABLE seed_process ON COMMIT DROP AS
SELECT id AS dossier_id, status, received_at, nextval('viewflow_process_id_seq') AS process_id,
    nextval('viewflow_task_id_seq') AS receive_id, nextval('viewflow_task_id_seq') AS gateway_id,
    CASE WHEN status = 'waiting_supplement' THEN nextval('viewflow_task_id_seq') END AS wait_id
FROM seed_batch WHERE status IN ('processing', 'waiting_supplement')
"""

VIEWFLOW = [
    """
    INSERT INTO viewflow_process (id, flow_class, status, created, data)
    SELECT process_id, 'workflows/flows.DossierFlow', 'NEW', received_at, '{}'::jsonb FROM seed_process
    """,
    """
    INSERT INTO viewflow_task (id, flow_task, flow_task_type, status, created, started, finished, token,
        process_id, data)
    SELECT receive_id, 'workflows/flows.DossierFlow.receive', 'START', 'DONE', received_at, received_at,
        received_at, 'start', process_id, '{}'::jsonb FROM seed_process
    UNION ALL
    SELECT gateway_id, 'workflows/flows.DossierFlow.what_next', 'PARALLEL_GATEWAY', 'DONE', received_at,
        NULL, received_at, 'start', process_id, '{}'::jsonb FROM seed_process
    UNION ALL
    SELECT wait_id, 'workflows/flows.DossierFlow.wait_for_supplement', 'FUNCTION', 'NEW', received_at,
        NULL, NULL, 'start', process_id, '{}'::jsonb FROM seed_process WHERE wait_id IS NOT NULL
    UNION ALL
    SELECT t.flow_task_id, 'workflows/flows.DossierFlow.process_step', 'FUNCTION', 'NEW', t.created_at,
        NULL, NULL, 'start/' || p.gateway_id || '_' || t.k, p.process_id,
        jsonb_build_object('step', t.step_id, 'stage', t.stage)
    FROM seed_task t JOIN seed_process p ON p.dossier_id = t.dossier_id WHERE t.flow_task_id IS NOT NULL
    """,
    """
    INSERT INTO viewflow_task_previous (from_task_id, to_task_id)
    SELECT gateway_id, receive_id FROM seed_process
    UNION ALL
    SELECT wait_id, gateway_id FROM seed_process WHERE wait_id IS NOT NULL
    UNION ALL
    SELECT t.flow_task_id, p.gateway_id
    FROM seed_task t JOIN seed_process p ON p.dossier_id = t.dossier_id WHERE t.flow_task_id IS NOT NULL
    """,
    """
    UPDATE workflows_dossier d SET process_id = p.process_id FROM seed_process p WHERE d.id = p.dossier_id
    """,
]

# The tasks, and an event per decided task from the rows just inserted (no join on the growing table).
DOSSIER_TASKS = """
WITH inserted AS (
INSERT INTO workflows_dossiertask (dossier_id, flow_task_id, step_id, stage, agency_id, role, status,
    created_at, due_at, started_at, finished_at, decision, note, reasons, verdict, wait_hours, work_hours)
SELECT dossier_id, flow_task_id, step_id, stage, agency_id, role, status, created_at,
    created_at + budget_hours * interval '3 hours',
    CASE WHEN status = 'done' THEN created_at + (done_at - created_at) / 4 END,
    CASE WHEN status <> 'open' THEN done_at END,
    CASE WHEN status <> 'done' THEN '' WHEN dossier_status = 'waiting_supplement'
         THEN 'request_supplement' ELSE 'approve' END,
    '', '[]',
    CASE WHEN status <> 'done' THEN ''
         WHEN done_at > created_at + budget_hours * interval '3 hours' THEN 'late' ELSE 'early' END,
    CASE WHEN status = 'done' THEN round((extract(epoch FROM done_at - created_at) / 14400)::numeric, 2) END,
    CASE WHEN status = 'done' THEN budget_hours * 0.8 END
FROM seed_task
    RETURNING id, dossier_id, step_id, agency_id, due_at, verdict, decision, finished_at, status
)
INSERT INTO workflows_dossierevent (dossier_id, at, action, from_status, to_status, task_id, step_id,
    agency_id, due_at, verdict, reason, data, actor_username)
SELECT dossier_id, finished_at,
    CASE decision WHEN 'request_supplement' THEN 'supplement_requested' ELSE 'approved' END,
    'processing', CASE decision WHEN 'request_supplement' THEN 'waiting_supplement' ELSE 'processing' END,
    id, step_id, agency_id, due_at, verdict, '', '{}'::jsonb, ''
FROM inserted WHERE status = 'done'
"""

EVENTS = """
INSERT INTO workflows_dossierevent (dossier_id, at, action, from_status, to_status, task_id, step_id,
    agency_id, due_at, verdict, reason, data, actor_username)
SELECT id, received_at, 'registered', '', 'processing', NULL::bigint, NULL::bigint, NULL::bigint,
    original_due_at, '', '',
    '{}'::jsonb, '' FROM seed_batch
UNION ALL
SELECT id, finished_at + interval '2 hours', 'result_returned', 'result_ready', 'returned', NULL, NULL,
    NULL, due_at, verdict, '', '{}'::jsonb, '' FROM seed_batch WHERE status = 'returned'
UNION ALL
SELECT id, withdrawn_at, 'withdrawn', 'processing', 'withdrawn', NULL, NULL, NULL, due_at, '', '',
    '{}'::jsonb, '' FROM seed_batch WHERE status = 'withdrawn'
UNION ALL
SELECT id, original_due_at - interval '1 day', 'extended', 'processing', 'processing', NULL, NULL, NULL,
    due_at, '', 'Hồ sơ cần xác minh thêm', '{}'::jsonb, '' FROM seed_batch WHERE extended
"""

REJECTED_EVENTS = """
INSERT INTO workflows_dossierevent (dossier_id, at, action, from_status, to_status, verdict, reason, data,
    actor_username)
SELECT id, received_at, 'refused_at_intake', '', 'rejected', '', 'Hồ sơ không đủ thành phần', '{}'::jsonb, ''
FROM workflows_dossier WHERE code BETWEEN %(first)s AND %(last)s AND status = 'rejected'
"""

PAUSES_AND_EXTENSIONS = [
    """
    INSERT INTO workflows_dossierpause (dossier_id, stage, mode, missing_documents, note, started_at)
    SELECT id, current_stage, 'pause', '["Bản sao giấy tờ tùy thân"]'::jsonb, '', paused_at
    FROM seed_batch WHERE status = 'waiting_supplement'
    """,
    """
    INSERT INTO workflows_dossierextension (dossier_id, previous_due_at, new_due_at, reason, created_at)
    SELECT id, original_due_at, due_at, 'Hồ sơ cần xác minh thêm', original_due_at - interval '1 day'
    FROM seed_batch WHERE extended
    """,
]
