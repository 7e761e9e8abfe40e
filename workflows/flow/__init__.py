"""What ``workflows.flows.DossierFlow`` stands on: the transition the services hand the flow
(``transition``), the viewflow node subclasses it is drawn with (``nodes``) and the functions that
drive it (``driving``). docs/viewflow.md lists the viewflow behaviour these rely on."""
