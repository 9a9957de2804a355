"""The home page: what each role does next, and the pipeline at a glance."""
