"""Data files of the cases app (the services taxonomy); a package so it ships with wheels."""
