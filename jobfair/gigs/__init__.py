"""零工 (flexible work): shifts of a position, quick sign-up, the employer's confirmation."""
