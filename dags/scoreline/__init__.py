"""Helpers shared by Scoreline's DAGs: settings (config), the java -jar operator (jobs) and alerts.

Nothing here reads settings, the metadata DB or the network at import time: settings are read
when a task runs. .airflowignore keeps this package out of DAG discovery.
"""
