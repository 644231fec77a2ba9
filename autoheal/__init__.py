"""autoheal: triage failed CI runs."""
