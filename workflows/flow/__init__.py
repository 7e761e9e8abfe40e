"""What ``workflows.flows.DossierFlow`` stands on: the transition the services hand the flow
(``transition``) and the viewflow node subclasses it is drawn with (``nodes``). The services drive
it through ``workflows.services._driving``; docs/viewflow.md lists the viewflow behaviour relied on."""
