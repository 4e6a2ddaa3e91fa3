"""``python -m elevate_workflow`` runs the workflow service."""

from elevate_workflow.entrypoints.service import main

main()
