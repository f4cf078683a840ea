"""``remind``: the daily deadline reminders."""
