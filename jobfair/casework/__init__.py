"""Priority-group work: targets, placements, case files (一人一档), zero-employment households."""
