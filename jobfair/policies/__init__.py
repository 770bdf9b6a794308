"""Employment and start-up policies: the city's catalogue, eligibility checks, subsidies."""
