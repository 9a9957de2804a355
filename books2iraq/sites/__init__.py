"""Drop-off points and warehouses."""
