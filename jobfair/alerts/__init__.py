"""Job alerts: seekers' saved searches and profile opt-ins, employers' talent alerts, daily digests."""
