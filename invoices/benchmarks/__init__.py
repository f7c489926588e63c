"""Measuring the deposit pipeline on the real stack (see the bench_ingest command)."""
