"""People a unit works with: victims, family and friends, caregivers, accused."""
