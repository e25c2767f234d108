"""Helpers shared by Scoreline's DAGs: settings (config), the java -jar operator (jobs), alerts,
the operations DAG's actions (operations) and the batch run's summary (summary).

Nothing here reads settings, the metadata DB or the network at import time: settings are read
when a task runs. .airflowignore keeps this package out of DAG discovery.
"""
