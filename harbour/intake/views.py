"""Pages of intake: the staff referral forms, the public self-referral form and triage."""
