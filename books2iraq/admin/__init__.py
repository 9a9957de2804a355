"""Admin: users and roles, sites, the organisation's own details used on documents."""
