"""The report rollup: per local day, what happened (flows) and what was open (stock changes).

Filled by ``reports.rollup.refresh`` for the closed days before ``RollupState.rolled_until``; the
reports read the days from there on live from the dossier indexes (``reports.rollup_read``), so a
report is exact at any moment. See docs/PERFORMANCE.md, "Report rollup".
"""

from django.db import models


class RollupFlow(models.Model):
    """What happened on one local day, per receiving agency, procedure, version and channel."""

    day = models.DateField()
    agency_id = models.IntegerField()
    procedure_id = models.IntegerField()
    version_id = models.IntegerField()
    channel = models.CharField(max_length=16)
    received = models.IntegerField(default=0)  # received that day, not refused at intake
    rejected = models.IntegerField(default=0)  # refused at intake that day
    resolved = models.IntegerField(default=0)  # finished that day with a result
    early = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    refused = models.IntegerField(default=0)
    late_apology = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    hours_n = models.IntegerField(default=0)  # resolved with processing_hours
    hours_micro = models.BigIntegerField(default=0)  # Σ processing hours in millionths (exact)
    comparable = models.IntegerField(default=0)  # committed duration not in calendar days
    within_committed = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "agency_id", "procedure_id", "version_id", "channel"], name="rollup_flow_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id}/{self.procedure_id}/{self.version_id}/{self.channel}"


class RollupStock(models.Model):
    """Open, overdue and waiting dossiers of an (agency, procedure) at the END of ``day`` (the next
    day's 00:00 local), counting only the dossiers CLOSED (finished or withdrawn) before
    ``RollupState.rolled_until``: their facts no longer change. The dossiers still open then are
    counted live by the report. A row only for the days on which a figure changed."""

    day = models.DateField()
    agency_id = models.IntegerField()
    procedure_id = models.IntegerField()
    d_open = models.IntegerField(default=0)  # the change on that day
    d_overdue = models.IntegerField(default=0)
    d_waiting = models.IntegerField(default=0)
    open = models.IntegerField(default=0)  # the running sums: the figures at the end of the day
    overdue = models.IntegerField(default=0)
    waiting = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency_id", "procedure_id", "day"], name="rollup_stock_key")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id}/{self.procedure_id}: {self.open}"


class RollupGroup(models.Model):
    """Every (agency, procedure) with a stock row: the stock is read by one probe per group."""

    agency_id = models.IntegerField()
    procedure_id = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency_id", "procedure_id"], name="rollup_group_key")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.procedure_id}"


class RollupState(models.Model):
    """One row: the rollup holds every local day before ``rolled_until`` (exclusive)."""

    rolled_until = models.DateField(null=True)
    # A correction to a past day (import, backfill, admin edit): the next refresh redoes the flows
    # from this day and the stock from scratch (``reports.rollup.mark_dirty``).
    dirty_from = models.DateField(null=True)
    refreshed_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"rolled until {self.rolled_until}"


class RollupHours(models.Model):
    """How many dossiers resolved in a local month (``month`` is its first day) took ``bucket``
    whole working hours (``floor(processing_hours)``), per agency, procedure and version: the
    cumulative counts place each median and p90 rank in one bucket, whose few exact values the
    report then reads (``reports.rollup_hours``). The current month's row holds its days before
    ``RollupState.rolled_until``; a refresh adds the days since."""

    month = models.DateField()
    agency_id = models.IntegerField()
    procedure_id = models.IntegerField()
    version_id = models.IntegerField()
    bucket = models.IntegerField()
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "agency_id", "procedure_id", "version_id", "bucket"], name="rollup_hours_key"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.month} {self.agency_id}/{self.procedure_id}/{self.version_id} [{self.bucket}h]: {self.n}"
        )


class RollupTasks(models.Model):
    """The done tasks finished in a local month (``month``: its first day) per step and processing
    agency: how many, late, over the step's budget, and the wait and work hours (how many, and
    their sum in millionths: exact in any order). The current month's row holds its days before
    ``RollupState.rolled_until``; a refresh adds the days since (``reports.rollup_tasks``)."""

    month = models.DateField()
    step_id = models.IntegerField()
    agency_id = models.IntegerField()
    tasks = models.IntegerField(default=0)
    late_tasks = models.IntegerField(default=0)
    over_budget = models.IntegerField(default=0)
    wait_n = models.IntegerField(default=0)
    wait_micro = models.BigIntegerField(default=0)
    work_n = models.IntegerField(default=0)
    work_micro = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "step_id", "agency_id"], name="rollup_tasks_key")
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.step_id}/{self.agency_id}: {self.tasks}"


class RollupTaskHours(models.Model):
    """How many done tasks of a month, step and agency waited (``kind`` "wait_hours") or worked
    ("work_hours") ``bucket`` whole working hours: the bottleneck report's medians and p90, as
    ``RollupHours`` for the cutting report (``reports.order_stats``)."""

    kind = models.CharField(max_length=10)
    month = models.DateField()
    step_id = models.IntegerField()
    agency_id = models.IntegerField()
    bucket = models.IntegerField()
    n = models.IntegerField()
    lo = models.FloatField()  # the least and greatest hours counted: equal, all are (ties)
    hi = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "month", "step_id", "agency_id", "bucket"], name="rollup_task_hours_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.month} {self.step_id}/{self.agency_id} [{self.bucket}h]: {self.n}"
