"""Training (技能超市): the course catalogue, enrolment with seats enforced, completion and
certificates, referrals from case files and skill gaps, and training outcome reports."""
