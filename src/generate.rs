//! Generator of large, valid sites for benchmarks and tests (being written).
