"""Scheduled interviews, employers' invitations to seekers, and the short after-fair survey."""
