"""Recipients in Iraq and the Kurdistan Region, shipments and their status history."""
