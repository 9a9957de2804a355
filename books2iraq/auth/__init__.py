"""Users, roles, login and role checks."""
