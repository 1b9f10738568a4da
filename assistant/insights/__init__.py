"""Industry talent insights: supply–demand analytics, the shortage-talent catalogue, the dashboard data."""
